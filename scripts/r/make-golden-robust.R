# Golden values for the person-level (cluster-robust) survival estimates
# (analyses/survival/influence-duckdb.ts, robust.ts, rmst.ts, robust-score.ts) from R survival 3.x.
#
#   Rscript scripts/r/make-golden-robust.R [outdir]      (default: test/fixtures/survival)
#
# Writes robust-km-<case>.json and robust-aj-<case>.json with the input rows (group, id, time,
# status, weight) and R's results:
#  - survfit(Surv(time, status) ~ group, cluster = id, robust = TRUE, weights = w,
#    influence = TRUE) per group: time, n.risk (weighted), surv, std.err (IJ se of S: R keeps
#    it with logse = FALSE), lower, upper for conf.type log / log-log / plain, and
#    summary(fit, times, extend = TRUE).
#    `cluster = id` rather than `id = id`: with `id` survfit reads rows as one person's
#    timeline when every id has more than one row (surv2counting); the IJ clustering is the same.
#  - differences of 1 - S between groups at the reading times with se from the influence
#    matrices (fit$influence.surv) aggregated by id: var(d) = sum_id (IF_a - IF_b)^2.
#  - RMST: summary(fit, rmean = tau)$table (Greenwood, robust = FALSE) and the robust se from
#    the influence matrices (integral of IF_S over [0, tau]), and RMST differences.
#  - summary(coxph(Surv(time, status) ~ factor(group), cluster = id, weights = w,
#    ties = "efron" / "breslow"))$robscore, and the score at beta = 0 (residuals at iter.max = 0).
#  - multi-state survfit(Surv(time, factor(status, 0:k)) ~ group, weights = w, influence = TRUE):
#    cumulative incidence per cause; R's own (per-row) IJ std.err as std_err_rows, and the
#    person-level IJ std.err from R's influence matrix summed per id (survival 3.5 ignores
#    `cluster` for multi-state curves), with R's survfit_confint CI and the reading times.
# Base R + survival only. Numbers with 17 significant digits; NA/NaN as null, +-Inf as
# "Inf"/"-Inf" (scripts/r/json.R).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "test/fixtures/survival"
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)

## ---- minimal JSON writer (scripts/r/json.R) ----------------------------------------
script_dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
source(file.path(script_dir, "json.R"))

conf_types <- c("log", "log-log", "plain")

## ---- helpers --------------------------------------------------------------------------
# per group: the survfit curve of group g from a fit over all groups
curve_of <- function(fit, groups, g) {
  if (length(groups) == 1) fit
  else if (inherits(fit, "survfitms")) fit[which(groups == g), ]
  else fit[which(groups == g)]
}
infl_of <- function(fit, groups, g) {
  m <- if (length(groups) == 1) fit$influence.surv else fit$influence.surv[[which(groups == g)]]
  if (!is.matrix(m)) m <- matrix(m, ncol = 1, dimnames = list(names(m), NULL))
  m
}
# influence of 1 - S(tau) per cluster (named by id), from the influence matrix of S
if_cuminc_at <- function(time, infl, tau) {
  j <- max(c(0, which(time <= tau)))
  v <- if (j == 0) rep(0, nrow(infl)) else infl[, j]
  setNames(-v, rownames(infl))
}
# influence of RMST(tau) = integral_0^tau S per cluster: IF_S is a step function of the times
if_rmst <- function(time, infl, tau) {
  keep <- which(time < tau)
  v <- rep(0, nrow(infl))
  for (j in keep) {
    right <- if (j < length(time)) min(time[j + 1], tau) else tau
    v <- v + infl[, j] * (right - time[j])
  }
  setNames(v, rownames(infl))
}
# sum over ids of (a - b)^2 with a, b named vectors (missing id = 0)
var_diff <- function(a, b) {
  ids <- union(names(a), names(b))
  av <- ifelse(is.na(a[ids]), 0, a[ids]); bv <- ifelse(is.na(b[ids]), 0, b[ids])
  sum((av - bv)^2)
}

km_robust_case <- function(name, group, id, time, status, weight = NULL, times, horizons,
                           note = "") {
  group <- as.character(group)
  groups <- sort(unique(group))
  w <- if (is.null(weight)) rep(1, length(time)) else weight
  d <- data.frame(group = factor(group, levels = groups), id = id, time = time, status = status, w = w)
  km <- list()
  for (ct in conf_types) {
    fit <- survfit(Surv(time, status) ~ group, data = d, cluster = id, robust = TRUE,
                   weights = w, conf.type = ct)
    per <- lapply(groups, function(g) {
      f <- curve_of(fit, groups, g)
      s <- summary(f, times = times, extend = TRUE)
      list(n = sc(f$n), time = f$time, n_risk = f$n.risk, n_event = f$n.event,
           n_censor = f$n.censor, surv = f$surv, std_err = f$std.err, logse = sc(f$logse),
           lower = f$lower, upper = f$upper,
           at = list(time = s$time, n_risk = s$n.risk, surv = s$surv, std_err = s$std.err,
                     lower = s$lower, upper = s$upper))
    })
    names(per) <- groups
    km[[length(km) + 1]] <- list(conf_type = sc(ct), groups = per)
  }
  # influence, differences, RMST
  fit <- survfit(Surv(time, status) ~ group, data = d, cluster = id, robust = TRUE,
                 weights = w, influence = TRUE)
  fitg <- survfit(Surv(time, status) ~ group, data = d, robust = FALSE, weights = w)
  curves <- lapply(groups, function(g) curve_of(fit, groups, g)); names(curves) <- groups
  infl <- lapply(groups, function(g) infl_of(fit, groups, g)); names(infl) <- groups
  # robust variance of 1 - S at the reading times from the influence (checks the aggregation)
  var_at <- lapply(groups, function(g) sapply(times, function(tau)
    sum(if_cuminc_at(curves[[g]]$time, infl[[g]], tau)^2)))
  names(var_at) <- groups
  diffs <- list()
  if (length(groups) > 1) for (i in 1:(length(groups) - 1)) for (j in (i + 1):length(groups)) {
    a <- groups[i]; b <- groups[j]
    sa <- summary(curves[[a]], times = times, extend = TRUE)$surv
    sb <- summary(curves[[b]], times = times, extend = TRUE)$surv
    se <- sapply(times, function(tau) sqrt(var_diff(
      if_cuminc_at(curves[[a]]$time, infl[[a]], tau), if_cuminc_at(curves[[b]]$time, infl[[b]], tau))))
    diffs[[length(diffs) + 1]] <- list(a = sc(a), b = sc(b), time = times,
                                       difference = (1 - sa) - (1 - sb), std_err = se)
  }
  rmean <- list()
  rdiffs <- list()
  for (tau in horizons) {
    tg <- summary(fitg, rmean = tau)$table
    tr <- summary(fit, rmean = tau)$table
    if (!is.matrix(tg)) { tg <- t(as.matrix(tg)); tr <- t(as.matrix(tr)) }
    ifr <- lapply(groups, function(g) if_rmst(curves[[g]]$time, infl[[g]], tau)); names(ifr) <- groups
    for (k in seq_along(groups)) {
      g <- groups[k]
      rmean[[length(rmean) + 1]] <- list(group = sc(g), horizon = sc(tau),
        rmean = sc(tg[k, "rmean"]), se_greenwood = sc(tg[k, "se(rmean)"]),
        rmean_robust_fit = sc(tr[k, "rmean"]), se_robust_fit = sc(tr[k, "se(rmean)"]),
        se_robust_influence = sc(sqrt(sum(ifr[[g]]^2))))
    }
    if (length(groups) > 1) for (i in 1:(length(groups) - 1)) for (j in (i + 1):length(groups)) {
      a <- groups[i]; b <- groups[j]
      rdiffs[[length(rdiffs) + 1]] <- list(a = sc(a), b = sc(b), horizon = sc(tau),
        difference = sc(tg[i, "rmean"] - tg[j, "rmean"]), std_err = sc(sqrt(var_diff(ifr[[a]], ifr[[b]]))))
    }
  }
  out <- list(name = sc(name), note = sc(note), weighted = sc(!is.null(weight)),
              data = list(group = group, id = as.character(id), time = time, status = status, weight = w),
              times = times, horizons = horizons, km = km, var_at = var_at,
              diffs = diffs, rmean = rmean, rmean_diffs = rdiffs)
  if (length(groups) > 1) {
    out$robscore <- lapply(c(efron = "efron", breslow = "breslow"), function(ties) {
      fit <- suppressWarnings(coxph(Surv(time, status) ~ group, data = d, cluster = id,
                                    weights = w, ties = ties))
      rs <- summary(fit)$robscore
      # the (weighted) score at beta = 0 of the non-reference groups (Breslow: log-rank O - E)
      f0 <- suppressWarnings(coxph(Surv(time, status) ~ group, data = d, weights = w, ties = ties,
                                   init = rep(0, length(groups) - 1), iter.max = 0))
      u <- colSums(as.matrix(residuals(f0, type = "score", weighted = TRUE)))
      list(test = sc(rs[["test"]]), df = sc(rs[["df"]]), p = sc(rs[["pvalue"]]), score = as.numeric(u))
    })
  }
  write_case(paste0("robust-km-", name), out)
}

aj_robust_case <- function(name, group, id, time, status, ncause, weight = NULL, times, note = "") {
  group <- as.character(group)
  groups <- sort(unique(group))
  w <- if (is.null(weight)) rep(1, length(time)) else weight
  d <- data.frame(group = factor(group, levels = groups), id = id, time = time,
                  st = factor(status, levels = 0:ncause), w = w)
  k <- seq_len(ncause) + 1 # columns of the causes; column 1 is "(s0)"
  aj <- list()
  for (ct in conf_types) {
    # survival 3.5.x: the multi-state survfit (survfitCI) accepts `cluster` but does not use
    # it, and `id` means one subject's timeline (repeated ids with (0, t] rows fail survcheck).
    # So the person-level IJ is R's per-row influence (influence = TRUE) summed per id.
    fit <- survfit(Surv(time, st) ~ group, data = d, weights = w, conf.type = ct, influence = TRUE)
    stopifnot(fit$states[1] == "(s0)")
    # slice the curves by strata (`[.survfitms` would prepend a time-0 row); the influence
    # arrays are obs x (t0, times...) x states: drop the t0 column
    st_n <- if (is.null(fit$strata)) length(fit$time) else as.integer(fit$strata)
    ends <- cumsum(st_n)
    per <- lapply(seq_along(groups), function(gi) {
      g <- groups[gi]
      rows <- (ends[gi] - st_n[gi] + 1):ends[gi]
      infl <- if (length(groups) == 1) fit$influence.pstate else fit$influence.pstate[[gi]]
      stopifnot(dim(infl)[2] == length(rows) + 1)
      ids <- id[group == g]
      wg <- w[group == g]
      # influence.pstate is the derivative per unit weight; R's own std.err uses w * it
      se <- sapply(k, function(s) {
        m <- rowsum(wg * matrix(infl[, -1, s], nrow = dim(infl)[1]), ids)
        sqrt(colSums(m^2))
      })
      se <- matrix(se, ncol = ncause)
      p <- fit$pstate[rows, k, drop = FALSE]
      ci <- survival:::survfit_confint(p, se, logse = FALSE, ct, 0.95)
      lower <- matrix(ci$lower, ncol = ncause); upper <- matrix(ci$upper, ncol = ncause)
      time <- fit$time[rows]
      at_idx <- sapply(times, function(tau) max(c(0, which(time <= tau))))
      pick <- function(m) {
        out <- matrix(0, length(times), ncause)
        out[at_idx > 0, ] <- m[at_idx[at_idx > 0], , drop = FALSE]
        out
      }
      list(n = sc(length(ids)), time = time, n_risk = fit$n.risk[rows, 1],
           n_event = fit$n.event[rows, k, drop = FALSE], n_censor = fit$n.censor[rows],
           surv = fit$pstate[rows, 1], cum_inc = p,
           std_err_rows = fit$std.err[rows, k, drop = FALSE],
           std_err = se, lower = lower, upper = upper,
           at = list(time = times, cum_inc = pick(p), std_err = pick(se), lower = pick(lower),
                     upper = pick(upper)))
    })
    names(per) <- groups
    aj[[length(aj) + 1]] <- list(conf_type = sc(ct), groups = per)
  }
  # differences of the cumulative incidence between groups at the reading times, with the
  # person-level se from the influence arrays summed per id: var(d) = sum_id (IF_a - IF_b)^2
  fit <- survfit(Surv(time, st) ~ group, data = d, weights = w, influence = TRUE)
  st_n <- if (is.null(fit$strata)) length(fit$time) else as.integer(fit$strata)
  ends <- cumsum(st_n)
  at_cause <- function(gi, s) { # list(est = F at times, inf = ids x times)
    rows <- (ends[gi] - st_n[gi] + 1):ends[gi]
    infl <- if (length(groups) == 1) fit$influence.pstate else fit$influence.pstate[[gi]]
    g <- groups[gi]
    m <- rowsum(w[group == g] * matrix(infl[, -1, s], nrow = dim(infl)[1]), id[group == g])
    idx <- sapply(times, function(tau) max(c(0, which(fit$time[rows] <= tau))))
    est <- ifelse(idx > 0, fit$pstate[rows, s][pmax(idx, 1)], 0)
    inf <- sapply(idx, function(j) if (j == 0) rep(0, nrow(m)) else m[, j])
    inf <- matrix(inf, nrow = nrow(m), dimnames = list(rownames(m), NULL))
    list(est = est, inf = inf)
  }
  diffs <- list()
  if (length(groups) > 1) for (i in 1:(length(groups) - 1)) for (j in (i + 1):length(groups)) {
    for (s in k) {
      a <- at_cause(i, s); b <- at_cause(j, s)
      se <- sapply(seq_along(times), function(t) sqrt(var_diff(a$inf[, t], b$inf[, t])))
      diffs[[length(diffs) + 1]] <- list(a = sc(groups[i]), b = sc(groups[j]), cause = sc(s - 2),
                                         time = times, difference = a$est - b$est, std_err = se)
    }
  }
  write_case(paste0("robust-aj-", name), list(name = sc(name), note = sc(note), n_causes = sc(ncause),
    weighted = sc(!is.null(weight)),
    data = list(group = group, id = as.character(id), time = time, status = status, weight = w),
    times = times, aj = aj, diffs = diffs))
}

read_times <- c(0, 7, 30, 91, 182, 365, 730, 1095, 1461)

## ---- (a) R data sets with repeated ids / clusters -------------------------------------
# cgd: recurrent infections; gap times between infections per patient, clustered by id
cg <- cgd
km_robust_case("cgd-gap", cg$treat, cg$id, cg$tstop - cg$tstart, cg$status,
               times = c(0, 30, 60, 100, 200, 300, 400), horizons = c(100, 365),
               note = "cgd gap times (tstop - tstart) per infection episode; clusters = patients")
# lung: clusters are the institutions
lg <- lung[!is.na(lung$inst), ]
km_robust_case("lung-inst", lg$sex, lg$inst, lg$time, lg$status - 1,
               times = c(0, 30, 100, 180, 365, 500, 730, 1000), horizons = c(365, 730),
               note = "lung by sex, clustered by institution")
# mgus2 competing risks with constructed clusters of 1..5 subjects
set.seed(11)
mg <- mgus2
etime <- ifelse(mg$pstat == 0, mg$futime, mg$ptime)
event <- ifelse(mg$pstat == 0, 2 * mg$death, 1)
cl <- rep(seq_len(nrow(mg)), sample(1:5, nrow(mg), replace = TRUE))[seq_len(nrow(mg))]
cl <- sample(cl)
aj_robust_case("mgus2-clusters", mg$sex, cl, etime, event, 2, times = c(0, 12, 60, 120, 240, 360),
               note = "mgus2: 1 = progression, 2 = death; random clusters of 1-5 subjects")

## ---- (b) random: heavy ties, 1-5 rows per person, groups a person can switch between ---
make_rows <- function(npers, seed) {
  set.seed(seed)
  m <- sample(1:5, npers, replace = TRUE)
  id <- rep(sprintf("p%04d", seq_len(npers)), m)
  n <- length(id)
  g <- sample(c("extern", "intern", "geen"), n, replace = TRUE, prob = c(.25, .15, .6))
  frail <- rep(rexp(npers), m) # shared per person: correlated endings
  rate <- c(geen = 1 / 250, extern = 1 / 200, intern = 1 / 300)[g] * frail
  tev <- round(rexp(n, rate) / 7) * 7
  tcen <- sample(c(0, 7, 30, 91, 365, 730, 1461), n, replace = TRUE, prob = c(.05, .1, .1, .15, .2, .2, .2))
  list(id = id, g = g, time = pmin(tev, tcen), status = as.integer(tev <= tcen), tev = tev, tcen = tcen)
}
r1 <- make_rows(400, 20261201)
km_robust_case("random-clusters", r1$g, r1$id, r1$time, r1$status, times = read_times,
               horizons = c(365, 1461), note = "400 persons, 1-5 endings each, weekly grid, shared frailty")
r2 <- make_rows(250, 20261202)
km_robust_case("random-weights", r2$g, r2$id, r2$time, r2$status,
               weight = round(runif(length(r2$time), 0.2, 3), 3), times = read_times,
               horizons = c(365, 1461), note = "as random-clusters with non-integer case weights")
r3 <- make_rows(300, 20261203)
t2 <- round(rexp(length(r3$time), 1 / 500))
tt <- pmin(r3$tev, t2, r3$tcen)
st <- ifelse(tt == r3$tev & r3$tev <= r3$tcen, 1L, ifelse(tt == t2 & t2 <= r3$tcen, 2L, 0L))
aj_robust_case("random-clusters", r3$g, r3$id, tt, st, 2, times = read_times,
               note = "two causes, clusters of 1-5 rows, weekly grid for cause 1")
aj_robust_case("random-weights", r3$g, r3$id, tt, st, 2,
               weight = round(runif(length(tt), 0.2, 3), 3), times = read_times,
               note = "as random-clusters (aj) with case weights")

## ---- (c) edge cases -------------------------------------------------------------------
km_robust_case("edge-one-person-group",
               c("a", "a", "a", "a", "a", "b", "b", "b", "c", "c"),
               c("p1", "p2", "p2", "p3", "p4", "p5", "p5", "p5", "p1", "p6"),
               c(2, 3, 3, 5, 8, 1, 4, 6, 3, 7), c(1, 1, 0, 1, 0, 1, 1, 0, 1, 1),
               times = c(0, 2, 3, 5, 10), horizons = c(5, 10),
               note = "group b is one person with three endings; p1 has endings in a and c")
km_robust_case("edge-all-censored-group",
               c("a", "a", "a", "b", "b", "b", "b"), c("x", "y", "y", "x", "z", "z", "w"),
               c(3, 5, 5, 2, 4, 6, 6), c(0, 0, 0, 1, 1, 0, 1),
               times = c(0, 4, 6, 8), horizons = c(6),
               note = "group a entirely censored (S = 1, se 0)")
km_robust_case("edge-all-events-one-time",
               c("a", "a", "a", "a", "b", "b", "b"), c("x", "x", "y", "z", "x", "y", "v"),
               c(6, 6, 6, 6, 2, 6, 9), c(1, 1, 1, 1, 1, 0, 1),
               times = c(0, 5, 6, 7), horizons = c(6, 8),
               note = "group a: every ending an event at t = 6 (S drops to 0)")
km_robust_case("edge-weights",
               c("a", "a", "a", "a", "a", "b", "b", "b", "b"), c(1, 1, 2, 3, 3, 1, 2, 4, 4),
               c(1, 2, 2, 4, 5, 1, 3, 3, 6), c(1, 0, 1, 1, 0, 1, 1, 0, 1),
               weight = c(0.5, 2, 1.25, 3, 0.75, 1, 2.5, 0.2, 1.5),
               times = c(0, 1, 2, 3, 4, 6), horizons = c(3, 6),
               note = "small case with non-integer weights and repeated ids across groups")
aj_robust_case("edge-small", rep("a", 10), c(1, 1, 2, 2, 3, 4, 4, 4, 5, 6),
               c(1, 1, 2, 2, 2, 3, 4, 4, 5, 6), c(1, 2, 0, 1, 1, 2, 0, 1, 2, 0), 2,
               times = c(0.5, 2, 4.5, 7), note = "one group, clusters of 1-3 rows")
aj_robust_case("edge-all-one-time", c("a", "a", "a", "b", "b"), c(1, 1, 2, 1, 3),
               c(3, 3, 3, 2, 5), c(1, 2, 1, 0, 2), 2, times = c(0, 3, 4),
               note = "group a: all causes at one time")
cat("R", R.version.string, "survival", as.character(packageVersion("survival")), "\n")
