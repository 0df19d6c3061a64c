# Golden values for the Cox model (analyses/survival/cox*.ts, standardise.ts) from R survival 3.x.
#
#   Rscript scripts/r/make-golden-cox.R [outdir]      (default: test/fixtures/survival)
#
# One JSON file per case (cox-*.json) with the input rows (so the tests need no R) and R's
#  - coxph(Surv(time, status) ~ covariates, ties = "efron", cluster = id) with a tight
#    control (eps 1e-12, iter.max 50, toler.chol 1e-13; the tests use the same): coefficients, naive and robust
#    variance, loglik, score / Wald / robust score / likelihood-ratio tests, summary conf.int;
#  - cox.zph(fit, transform = "km") table (per term and GLOBAL);
#  - standardised curves: for each level g of the group covariate the mean over all rows of
#    survfit(fit, newdata = rows with group := g)$surv at the times, and the delta-method
#    standard error of that mean and of the difference with the reference level. The delta
#    method is computed here from R's own building blocks (survival:::agsurv, Efron hazard,
#    its variance and hazard-weighted means), and the script stops unless the same formula
#    reproduces survfit's std.err for every single row, with the robust variance
#    (survfit.coxph uses fit$var, robust when clustered) and with the naive one.
# Factor levels are set explicitly (reference first), so the design matches the TS code.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "test/fixtures/survival"
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)
script_dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
source(file.path(script_dir, "json.R"))
source(file.path(script_dir, "cox-standardise.R"))

ctrl <- coxph.control(eps = 1e-12, iter.max = 50, toler.chol = 1e-13)

# d: data.frame with id, time, status and the covariates; covs: list of list(name, type, reference)
# group: name of the categorical covariate to standardise over; times: read-out times
cox_case <- function(name, d, covs, group, times, note = "") {
  for (cv in covs) if (cv$type == "categorical") {
    lv <- sort(unique(as.character(d[[cv$name]])), method = "radix")
    ref <- if (is.null(cv$reference)) lv[1] else cv$reference
    d[[cv$name]] <- factor(as.character(d[[cv$name]]), levels = c(ref, setdiff(lv, ref)))
  }
  rhs <- paste(vapply(covs, function(cv) cv$name, ""), collapse = " + ")
  fml <- as.formula(paste("Surv(time, status) ~", rhs))
  fit <- coxph(fml, data = d, ties = "efron", cluster = id, control = ctrl, x = TRUE)
  fit_naive <- coxph(fml, data = d, ties = "efron", control = ctrl)
  stopifnot(isTRUE(all.equal(unname(coef(fit)), unname(coef(fit_naive)), tolerance = 1e-12)))
  s <- summary(fit)
  zph <- cox.zph(fit, transform = "km")

  used <- d[complete.cases(d[, vapply(covs, function(cv) cv$name, "")]), ]
  std <- standardise(fit, fit_naive, used, group, times)

  data_out <- list(id = as.character(d$id), time = d$time, status = d$status)
  covariates <- list()
  for (cv in covs) {
    v <- d[[cv$name]]
    # a missing level is written as null (the JSON writer would write the string "NA")
    data_out[[cv$name]] <- if (is.factor(v)) lapply(as.character(v), function(s) sc(if (is.na(s)) NULL else s)) else as.numeric(v)
    covariates[[length(covariates) + 1]] <- list(name = sc(cv$name), type = sc(cv$type),
      reference = sc(if (cv$type == "categorical") levels(v)[1] else NULL))
  }
  out <- list(
    name = sc(name), note = sc(note), data = data_out, covariates = covariates,
    fit = list(
      names = names(coef(fit)), coef = unname(coef(fit)),
      var = unname(fit$naive.var), robust_var = unname(fit$var),
      loglik = fit$loglik, n = sc(fit$n), nevent = sc(fit$nevent), n_id = sc(length(unique(used$id))),
      score = sc(fit$score), wald = sc(fit$wald.test), rscore = sc(fit$rscore),
      logtest = sc(2 * diff(fit$loglik)), df = sc(length(coef(fit))),
      p_score = sc(s$sctest[["pvalue"]]), p_wald = sc(s$waldtest[["pvalue"]]),
      p_rscore = sc(s$robscore[["pvalue"]]), p_logtest = sc(s$logtest[["pvalue"]]),
      hr = unname(s$conf.int[, 1]), hr_lower = unname(s$conf.int[, 3]), hr_upper = unname(s$conf.int[, 4]),
      robust_se = unname(s$coefficients[, "robust se"]), p_coef = unname(s$coefficients[, "Pr(>|z|)"]),
      iter = sc(fit$iter)
    ),
    zph = list(terms = rownames(zph$table), chisq = unname(zph$table[, "chisq"]),
               df = unname(zph$table[, "df"]), p = unname(zph$table[, "p"])),
    standardised = std
  )
  write_case(paste0("cox-", name), out)
}

cat_ <- function(name, reference = NULL) list(name = name, type = "categorical", reference = reference)
num_ <- function(name) list(name = name, type = "numeric")

## ---- R datasets -------------------------------------------------------------------------
lung2 <- with(survival::lung, data.frame(id = inst, time = time, status = as.integer(status == 2),
  sex = ifelse(sex == 1, "m", "v"), ecog = as.character(ph.ecog), age = age))
lung2 <- lung2[!is.na(lung2$id), ]
lung2$ecog[lung2$ecog == "3"] <- "2" # one subject: merged as in most analyses
cox_case("lung", lung2, list(cat_("ecog", "0"), cat_("sex"), num_("age")), "ecog",
         c(0, 30, 180, 365, 730, 2000), note = "cluster = inst; ph.ecog NA rows dropped by R and by us")

vet <- with(survival::veteran, data.frame(id = seq_along(time), time = time, status = status,
  trt = as.character(trt), celltype = as.character(celltype), karno = karno, age = age))
cox_case("veteran", vet, list(cat_("celltype", "squamous"), cat_("trt"), num_("karno"), num_("age")),
         "celltype", c(10, 50, 100, 200, 999))

ova <- with(survival::ovarian, data.frame(id = seq_along(futime), time = futime, status = fustat,
  rx = as.character(rx), resid = as.character(resid.ds), ecog = as.character(ecog.ps), age = age))
cox_case("ovarian", ova, list(cat_("rx"), cat_("resid"), cat_("ecog"), num_("age")), "rx",
         c(100, 365, 700, 1200))

## ---- random data with heavy ties and clusters ------------------------------------------------
set.seed(20261201)
make_random <- function(n_id, tmax) {
  k <- sample(1:5, n_id, replace = TRUE)
  id <- rep(seq_len(n_id), k)
  n <- length(id)
  jobcoach <- sample(c("extern", "intern", "geen"), n, replace = TRUE, prob = c(.3, .2, .5))
  regio <- sample(c("noord", "oost", "west", "zuid"), n, replace = TRUE)
  uren <- round(runif(n, 8, 40))
  frailty <- rnorm(n_id, 0, 0.5)[id]
  lp <- 0.4 * (jobcoach == "extern") + 0.2 * (jobcoach == "intern") - 0.3 * (regio == "west") + 0.02 * uren + frailty
  t_ev <- rexp(n, 0.05 * exp(lp))
  t_c <- runif(n, 0, tmax * 1.5)
  time <- pmin(floor(pmin(t_ev, t_c)), tmax)
  status <- as.integer(t_ev <= t_c & floor(t_ev) < tmax)
  data.frame(id = id, time = time, status = status, jobcoach = jobcoach, regio = regio, uren = uren)
}
rnd <- make_random(300, 25)
cox_case("random-ties", rnd, list(cat_("jobcoach", "geen"), cat_("regio"), num_("uren")), "jobcoach",
         c(0, 1, 5, 10, 20, 30), note = "clusters of 1-5 rows per id, integer times 0-25")

rnd2 <- make_random(150, 6)
rnd2$uren[sample(nrow(rnd2), 25)] <- NA
cox_case("random-heavy-na", rnd2, list(cat_("jobcoach", "geen"), cat_("regio"), num_("uren")), "jobcoach",
         c(0, 2, 4, 6), note = "times 0-6 (very heavy ties); 25 NA uren dropped by R and by us")

rnd3 <- make_random(200, 15)
cox_case("random-categorical", rnd3, list(cat_("jobcoach", "geen"), cat_("regio", "zuid")), "jobcoach",
         c(3, 7, 14), note = "categorical covariates only")

## ---- edge: a level without events --------------------------------------------------------------
edge <- make_random(60, 10)
edge$regio[edge$regio == "oost"] <- "leeg"
edge$status[edge$regio == "leeg"] <- 0L
efit <- suppressWarnings(coxph(Surv(time, status) ~ factor(jobcoach) + factor(regio), data = edge, ties = "efron"))
write_case("cox-edge-level-without-events", list(
  name = sc("edge-level-without-events"),
  note = sc("regio 'leeg' has no events: R gives a huge coefficient with a warning; the TS code throws naming the level"),
  data = list(id = as.character(edge$id), time = edge$time, status = edge$status,
              jobcoach = edge$jobcoach, regio = edge$regio),
  covariates = list(list(name = sc("jobcoach"), type = sc("categorical"), reference = sc("geen")),
                    list(name = sc("regio"), type = sc("categorical"), reference = sc("noord"))),
  r_coef = unname(coef(efit)), r_names = names(coef(efit))))
