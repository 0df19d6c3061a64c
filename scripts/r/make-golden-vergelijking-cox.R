# Golden values for the Cox models of the jobcoach comparison (analyses/catalogue/vergelijking-cox.ts)
# on the project's own table: the comparison's endings of a small synthetic world.
#
#   npx tsx scripts/vergelijking-cox-rows.ts --out <run out> --dir <dir>      (rows.csv, covariates.csv)
#   Rscript scripts/r/make-golden-vergelijking-cox.R <dir> [outfile]           (default: test/fixtures/analyses/vergelijking-cox.json)
#
# The committed fixture: `baanmonitor generate --scale 0.02 --seed 7`, `run --skip-analyses`.
# With R's default coxph.control (as the analysis, so both take the same Newton steps):
#  - coxph(Surv(tijd, status) ~ groep + kenmerken, ties = "efron", cluster = id): hazard ratios
#    with the robust 95% interval and p (summary.coxph);
#  - cox.zph(fit, transform = "km") per term and GLOBAL;
#  - the curves standardised over the rows per groep at the D4 reading points and their
#    differences with geen, delta-method standard errors (cox-standardise.R, anchored on
#    survfit per row), robust variance;
#  - coxph(Surv(tijd, status) ~ groep, weights = gewicht, ties = "efron", cluster = id): the
#    weighted marginal model.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("gebruik: make-golden-vergelijking-cox.R <dir met rows.csv en covariates.csv> [outfile]")
indir <- args[1]
out <- if (length(args) >= 2) args[2] else "test/fixtures/analyses/vergelijking-cox.json"
dir.create(dirname(out), recursive = TRUE, showWarnings = FALSE)
script_dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
source(file.path(script_dir, "json.R"))
source(file.path(script_dir, "cox-standardise.R"))

covs <- read.csv(file.path(indir, "covariates.csv"), colClasses = "character")
d <- read.csv(file.path(indir, "rows.csv"), colClasses = "character")
d$tijd <- as.numeric(d$tijd)
d$status <- as.integer(d$status)
d$gewicht <- as.numeric(d$gewicht)
for (i in seq_len(nrow(covs))) {
  v <- covs$name[i]
  lv <- sort(unique(d[[v]]), method = "radix")
  d[[v]] <- factor(d[[v]], levels = c(covs$reference[i], setdiff(lv, covs$reference[i])))
}
times <- c(7, 30, 91, 182, 365, 730, 1095, 1461)
fml <- as.formula(paste("Surv(tijd, status) ~", paste(covs$name, collapse = " + ")))
fit <- coxph(fml, data = d, ties = "efron", cluster = id, x = TRUE)
fit_naive <- coxph(fml, data = d, ties = "efron")
s <- summary(fit)
zph <- cox.zph(fit, transform = "km")
std <- standardise(fit, fit_naive, d, "groep", times)
wfit <- coxph(Surv(tijd, status) ~ groep, data = d, weights = gewicht, ties = "efron", cluster = id)
ws <- summary(wfit)

coxout <- function(f, s) list(
  names = names(coef(f)), coef = unname(coef(f)), robust_se = unname(s$coefficients[, "robust se"]),
  hr = unname(s$conf.int[, 1]), hr_lower = unname(s$conf.int[, 3]), hr_upper = unname(s$conf.int[, 4]),
  p = unname(s$coefficients[, "Pr(>|z|)"]), iter = sc(f$iter))
res <- list(
  source = sc(sprintf("R %s.%s, survival %s", R.version$major, R.version$minor, as.character(packageVersion("survival")))),
  data = list(id = d$id, tijd = d$tijd, status = d$status, gewicht = d$gewicht),
  covariates = lapply(seq_len(nrow(covs)), function(i) list(name = sc(covs$name[i]), reference = sc(covs$reference[i]))),
  times = times,
  fit = coxout(fit, s),
  zph = list(terms = rownames(zph$table), chisq = unname(zph$table[, "chisq"]), df = unname(zph$table[, "df"]), p = unname(zph$table[, "p"])),
  standardised = std,
  weighted = coxout(wfit, ws)
)
for (v in covs$name) res$data[[v]] <- as.character(d[[v]])
writeLines(tojson(res), out)
cat("geschreven:", out, "\n")
