# Golden values for the survival engine (analyses/survival) from R survival 3.x.
#
#   Rscript scripts/r/make-golden.R [outdir]      (default: test/fixtures/survival)
#
# Writes one JSON file per case with the input rows (so the tests need no R) and R's
# results: survfit (Kaplan-Meier, per group, for conf.type log / log-log / plain),
# print/quantile medians with CI, summary(fit, times, extend = TRUE), survdiff, and
# survfit with a factor status (Aalen-Johansen, infinitesimal-jackknife std.err).
# Base R only (no jsonlite). Numbers are written with 17 significant digits; NA/NaN as
# null, +-Inf as the strings "Inf"/"-Inf".
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "test/fixtures/survival"
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)

## ---- minimal JSON writer (scripts/r/json.R) ----------------------------------------
script_dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
source(file.path(script_dir, "json.R"))

conf_types <- c("log", "log-log", "plain")

## ---- Kaplan-Meier + log-rank ----------------------------------------------------------
km_one <- function(time, status, conf.type, conf.int, times) {
  fit <- survfit(Surv(time, status) ~ 1, conf.type = conf.type, conf.int = conf.int)
  tab <- summary(fit)$table
  q <- quantile(fit, 0.5)
  s <- summary(fit, times = times, extend = TRUE)
  list(
    n = sc(fit$n), time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event,
    n_censor = fit$n.censor, surv = fit$surv, std_err = fit$std.err,
    lower = fit$lower, upper = fit$upper,
    median = list(estimate = sc(tab[["median"]]),
                  lower = sc(tab[[paste0(conf.int, "LCL")]]),
                  upper = sc(tab[[paste0(conf.int, "UCL")]])),
    quantile50 = list(estimate = sc(unname(q$quantile)), lower = sc(unname(q$lower)),
                      upper = sc(unname(q$upper))),
    at = list(time = s$time, n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor,
              surv = s$surv, std_err = s$std.err, lower = s$lower, upper = s$upper)
  )
}

km_case <- function(name, time, status, group, times, conf.ints = c(0.95), note = "") {
  group <- as.character(group)
  groups <- sort(unique(group))
  km <- list()
  for (ct in conf_types) for (ci in conf.ints) {
    per <- lapply(groups, function(g) km_one(time[group == g], status[group == g], ct, ci, times))
    names(per) <- groups
    km[[length(km) + 1]] <- list(conf_type = sc(ct), conf_level = sc(ci), groups = per)
  }
  out <- list(name = sc(name), note = sc(note),
              data = list(group = group, time = time, status = status),
              times = times, km = km)
  if (length(groups) > 1) {
    sd <- survdiff(Surv(time, status) ~ factor(group, levels = groups))
    out$logrank <- list(groups = groups, n = as.numeric(sd$n), observed = as.numeric(sd$obs),
                        expected = as.numeric(sd$exp), variance = unname(sd$var),
                        chisq = sc(sd$chisq), df = sc(sum(sd$exp > 0) - 1), p = sc(sd$pvalue))
  }
  write_case(paste0("km-", name), out)
}

## ---- Aalen-Johansen ----------------------------------------------------------------
aj_one <- function(time, status, ncause, conf.type, conf.int, times) {
  st <- factor(status, levels = 0:ncause)
  fit <- survfit(Surv(time, st) ~ 1, conf.type = conf.type, conf.int = conf.int)
  s <- summary(fit, times = times, extend = TRUE)
  k <- seq_len(ncause) + 1 # columns of the causes; column 1 is "(s0)"
  stopifnot(fit$states[1] == "(s0)")
  list(
    n = sc(fit$n), time = fit$time, n_risk = fit$n.risk[, 1],
    n_event = fit$n.event[, k, drop = FALSE], n_censor = fit$n.censor,
    surv = fit$pstate[, 1], cum_inc = fit$pstate[, k, drop = FALSE],
    std_err = fit$std.err[, k, drop = FALSE],
    lower = fit$lower[, k, drop = FALSE], upper = fit$upper[, k, drop = FALSE],
    at = list(time = s$time, n_risk = s$n.risk[, 1], n_event = s$n.event[, k, drop = FALSE],
              n_censor = s$n.censor, surv = s$pstate[, 1],
              cum_inc = s$pstate[, k, drop = FALSE], std_err = s$std.err[, k, drop = FALSE],
              lower = s$lower[, k, drop = FALSE], upper = s$upper[, k, drop = FALSE])
  )
}

aj_case <- function(name, time, status, group, ncause, times, note = "") {
  group <- as.character(group)
  groups <- sort(unique(group))
  aj <- list()
  for (ct in conf_types) {
    per <- lapply(groups, function(g) aj_one(time[group == g], status[group == g], ncause, ct, 0.95, times))
    names(per) <- groups
    aj[[length(aj) + 1]] <- list(conf_type = sc(ct), conf_level = sc(0.95), groups = per)
  }
  write_case(paste0("aj-", name), list(name = sc(name), note = sc(note), n_causes = sc(ncause),
    data = list(group = group, time = time, status = status), times = times, aj = aj))
}

read_times <- c(0, 7, 30, 91, 182, 365, 730, 1095, 1461)

## ---- classic data sets ----------------------------------------------------------------
# aml, lung, ovarian, veteran, mgus2 are lazy-loaded data of the survival package
km_case("aml", aml$time, aml$status, aml$x, c(0, 5, 10, 12.5, 20, 30, 45, 100, 200),
        conf.ints = c(0.95, 0.9))
lung2 <- lung[!is.na(lung$ph.ecog), ]
km_case("lung-sex", lung$time, lung$status - 1, lung$sex, c(0, 30, 100, 180, 365, 500, 730, 1000, 1100))
km_case("lung-ecog", lung2$time, lung2$status - 1, lung2$ph.ecog, c(0, 100, 365, 1000, 2000),
        note = "ph.ecog group 3 has a single subject")
km_case("ovarian", ovarian$futime, ovarian$fustat, ovarian$rx, c(0, 100, 365, 500, 1000, 1500))
km_case("veteran", veteran$time, veteran$status, veteran$celltype, c(0, 30, 90, 180, 365, 1000))
mg <- mgus2
etime <- ifelse(mg$pstat == 0, mg$futime, mg$ptime)
event <- ifelse(mg$pstat == 0, 2 * mg$death, 1)
aj_case("mgus2", etime, event, mg$sex, 2, c(0, 12, 60, 120, 240, 360, 500),
        note = "mgus2: 1 = progression (pcm), 2 = death before progression; by sex")

## ---- random data: many ties, heavy censoring, several groups --------------------------
set.seed(20261126)
n <- 4000
g <- sample(c("geen", "extern", "intern", "overig"), n, replace = TRUE, prob = c(.6, .2, .1, .1))
rate <- c(geen = 1 / 200, extern = 1 / 260, intern = 1 / 320, overig = 1 / 150)[g]
tev <- round(rexp(n, rate) / 7) * 7 # weekly grid: many ties
tcen <- sample(c(0, 7, 30, 91, 365, 730, 1461), n, replace = TRUE, prob = c(.05, .1, .1, .15, .2, .2, .2))
time <- pmin(tev, tcen); status <- as.integer(tev <= tcen)
km_case("random-ties", time, status, g, read_times, conf.ints = c(0.95, 0.9),
        note = "weekly grid, ties of events and censorings, ~50% censored")

n <- 3000
g <- sample(c("A", "B", "C"), n, replace = TRUE)
tev <- floor(rweibull(n, shape = 0.7, scale = c(A = 300, B = 500, C = 900)[g]))
tcen <- floor(runif(n, 0, 1461))
time <- pmin(tev, tcen, 1461); status <- as.integer(tev <= pmin(tcen, 1461))
km_case("random-days", time, status, g, read_times, note = "daily times 0..1461, Weibull events")

n <- 6000
g <- sample(c("g1", "g2", "g3", "g4", "g5"), n, replace = TRUE, prob = c(.4, .3, .2, .09, .01))
tev <- sample(0:40, n, replace = TRUE)
tcen <- sample(0:40, n, replace = TRUE)
heavy <- runif(n) < 0.6
time <- ifelse(heavy, pmin(tev, tcen), tev); status <- as.integer(!heavy | tev <= tcen)
km_case("random-heavy", time, status, g, c(0, 1, 5, 10, 20, 30, 40, 50),
        note = "41 distinct times, thousands of ties, heavy censoring, one small group")

n <- 5000
g <- sample(c("extern", "intern", "geen"), n, replace = TRUE, prob = c(.2, .05, .75))
t1 <- round(rexp(n, 1 / 400)); t2 <- round(rexp(n, 1 / 300)); tc <- sample(0:1461, n, replace = TRUE)
tc[runif(n) < 0.1] <- 0
time <- pmin(t1, t2, tc, 1461)
status <- ifelse(time == t1 & t1 <= pmin(tc, 1461), 1L, ifelse(time == t2 & t2 <= pmin(tc, 1461), 2L, 0L))
aj_case("random-competing", time, status, g, 2, read_times, note = "two causes, daily times, ties")

n <- 3000
g <- sample(c("a", "b"), n, replace = TRUE)
time <- sample(0:30, n, replace = TRUE)
status <- sample(0:3, n, replace = TRUE, prob = c(.5, .3, .15, .05))
aj_case("random-competing-ties", time, status, g, 3, c(0, 1, 5, 15, 29, 30, 31),
        note = "three causes, 31 distinct times, heavy ties of all causes and censorings")

## ---- edge cases -------------------------------------------------------------------------
km_case("edge-all-censored", c(3, 5, 5, 8), c(0, 0, 0, 0), rep("a", 4), c(0, 4, 8, 10))
km_case("edge-single-event", c(4), c(1), "a", c(0, 4, 5))
km_case("edge-single-censored", c(4), c(0), "a", c(0, 4, 5))
km_case("edge-time-zero", c(0, 0, 0, 0, 0), c(1, 1, 0, 1, 0), rep("a", 5), c(0, 1),
        note = "events only at time 0")
km_case("edge-ties-event-censor", c(2, 2, 2, 2, 5, 5, 5, 9, 9), c(1, 1, 0, 0, 1, 0, 0, 1, 0),
        rep("a", 9), c(0, 2, 3, 5, 9, 10))
km_case("edge-all-events-one-time", c(6, 6, 6), c(1, 1, 1), rep("a", 3), c(0, 6, 7))
km_case("edge-median-flat", c(1, 2, 3, 4, 5, 6, 7, 8), c(1, 1, 0, 1, 1, 0, 1, 1), rep("a", 8),
        c(0, 3, 8), note = "curve exactly 0.5 on a flat stretch: midpoint rule")
km_case("edge-median-flat-4", 1:4, rep(1, 4), rep("a", 4), c(0, 2, 4))
km_case("edge-zero-expected", c(0, 0, 1, 2, 3, 3, 4), c(0, 0, 1, 1, 0, 1, 0), c("b", "b", "a", "a", "a", "a", "a"),
        c(0, 2), note = "group b censored at 0 before any event: expected 0, dropped from the test")
km_case("edge-groups-mixed", c(1, 1, 2, 3, 3, 3, 4, 6, 6, 7, 7, 8),
        c(1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1), c("x", "y", "z", "x", "y", "y", "z", "x", "z", "x", "y", "z"),
        c(0, 2, 5, 8, 9))
aj_case("edge-all-censored", c(1, 1, 2), c(0, 0, 0), rep("a", 3), 2, c(0, 1, 3))
aj_case("edge-single", c(4), c(2), "a", 2, c(0, 4, 5))
aj_case("edge-time-zero", c(0, 0, 0, 0, 2), c(1, 2, 0, 1, 0), rep("a", 5), 2, c(0, 1, 3))
aj_case("edge-small", c(1, 1, 2, 2, 2, 3, 4, 4, 5, 6), c(1, 2, 0, 1, 1, 2, 0, 1, 2, 0), rep("a", 10), 3,
        c(0.5, 2, 4.5, 7), note = "cause 3 never occurs")
aj_case("edge-all-one-cause-at-once", c(3, 3, 3), c(1, 2, 1), rep("a", 3), 2, c(0, 3, 4))
cat("R", R.version.string, "survival", as.character(packageVersion("survival")), "\n")
