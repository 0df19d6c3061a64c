# Golden values for the grouped Cox fit of the truth estimands (data/generator/marginal-cox.ts)
# from R survival's coxph (Efron ties, the default).
#
#   Rscript scripts/r/make-cox-golden.R [outfile]   (default: test/fixtures/generator/cox-efron.json)
#
# Three arms, integer times 0..60 with a heavy tie at 0 and administrative censoring at 60
# (the shape of the counterfactual times: many direct next jobs at T = 0, follow-up cut off).
# Writes the rows (arm, time, status) and the coefficients of arm 1 and 2 versus arm 0.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "test/fixtures/generator/cox-efron.json"
dir.create(dirname(out), recursive = TRUE, showWarnings = FALSE)
set.seed(20261201)
n <- 300
arm <- rep(0:2, each = n)
rate <- c(0.05, 0.04, 0.07)[arm + 1]
direct <- runif(3 * n) < c(0.25, 0.2, 0.3)[arm + 1]
time <- ifelse(direct, 0, pmin(60, ceiling(rexp(3 * n, rate))))
status <- as.integer(direct | time < 60)
fit <- coxph(Surv(time, status) ~ factor(arm), ties = "efron", control = coxph.control(eps = 1e-14, toler.chol = 1e-15, iter.max = 100))
num <- function(v) paste(sprintf("%.17g", v), collapse = ",")
cat(sprintf('{"source":"R %s, survival %s: coxph(Surv(time, status) ~ factor(arm), ties = \\"efron\\", eps = 1e-14)",\n"arm":[%s],\n"time":[%s],\n"status":[%s],\n"coef":[%s]}\n',
  paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("survival")),
  num(arm), num(time), num(status), num(coef(fit))), file = out)
