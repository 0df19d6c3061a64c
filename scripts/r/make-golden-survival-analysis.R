# Golden values for the published survival curves of an analysis (analyses/lib/survival-analysis.ts
# `runSurvival`, with survival.variantie robuust and greenwood), on the baaneindes rows of a small
# seeded world, from R survival 3.x.
#
#   Rscript scripts/r/make-golden-survival-analysis.R <rows.csv> [out.json]
#     (default out: test/fixtures/survival/analysis-baaneindes.json)
#
# rows.csv: persoon_id, jobcoach, dagen_tot_reintegratie, reintegratie (0 censored, 1 service,
# 2 new job first) of the endings in the D6 window of a generated world, made with
#   node bin/baanmonitor.mjs generate --scale 0.01 --seed 3 --out /tmp/w
#   node bin/baanmonitor.mjs run --extracts /tmp/w/extracts --out /tmp/w/out --skip-analyses
# and in DuckDB on /tmp/w/out/baanmonitor.duckdb:
#   COPY (SELECT 'p' || dense_rank() OVER (ORDER BY persoon_id) AS persoon_id, jobcoach,
#                dagen_tot_reintegratie, reintegratie
#         FROM baaneindes WHERE in_d6_venster AND dagen_tot_reintegratie IS NOT NULL
#         ORDER BY persoon_id, einddatum, baan_id) TO 'rows.csv' (HEADER)
# (758 endings of 444 persons; the fixture keeps the rows, so the test needs neither). Per
# kenmerk (totaal, jobcoach) and group:
#  - km: survfit(Surv(tijd, status == 1) ~ groep, id = persoon_id, robust = TRUE) (a new job
#    first is censored, as the report): time, surv, std.err of S, lower, upper (conf.type log),
#    the median with its CI; and the same without id (Greenwood).
#  - aj: survfit(Surv(tijd, factor(status, 0:2)) ~ groep, influence = TRUE): the cumulative
#    incidence of cause 1, its std.err from the influence matrix summed per person (survival 3.5
#    ignores `id`/`cluster` in the multi-state IJ variance, so the per-person sum is done here;
#    with one row per person it is R's own std.err) and R's own per-row std.err (the plain
#    Aalen–Johansen variance of `greenwood`), CIs from survival:::survfit_confint (log).
#  - the test of group differences per kenmerk: summary(coxph(Surv(tijd, status == 1) ~ groep,
#    cluster = persoon_id))$robscore (Efron), and survdiff(...)$chisq (log-rank).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("gebruik: make-golden-survival-analysis.R <rows.csv> [out.json]")
out_file <- if (length(args) >= 2) args[2] else "test/fixtures/survival/analysis-baaneindes.json"
outdir <- dirname(out_file)
script_dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
source(file.path(script_dir, "json.R"))

rows <- read.csv(args[1], colClasses = c(persoon_id = "character", jobcoach = "character"))
rows$tijd <- pmax(rows$dagen_tot_reintegratie, 0)
rows$status <- rows$reintegratie

curves <- list()
tests <- list()
for (kenmerk in c("totaal", "jobcoach")) {
  d <- rows
  d$groep <- if (kenmerk == "totaal") "totaal" else ifelse(is.na(d$jobcoach), "onbekend", d$jobcoach)
  groups <- sort(unique(d$groep))
  d$groep <- factor(d$groep, levels = groups)
  one <- length(groups) == 1
  fit_r <- survfit(Surv(tijd, status == 1) ~ groep, data = d, id = persoon_id, robust = TRUE)
  fit_c <- survfit(Surv(tijd, status == 1) ~ groep, data = d, cluster = persoon_id, robust = TRUE)
  stopifnot(isTRUE(all.equal(fit_r$std.err, fit_c$std.err, tolerance = 1e-14)))
  fit_g <- survfit(Surv(tijd, status == 1) ~ groep, data = d)
  fit_aj <- survfit(Surv(tijd, factor(status, levels = 0:2)) ~ groep, data = d, influence = TRUE)
  strata_of <- function(fit) if (one) rep(groups, length(fit$time)) else rep(groups, fit$strata)
  for (variantie in c("robuust", "greenwood")) {
    fit <- if (variantie == "robuust") fit_r else fit_g
    st <- strata_of(fit)
    se_s <- if (fit$logse) fit$std.err * fit$surv else fit$std.err
    tab <- summary(fit)$table
    if (!is.matrix(tab)) tab <- t(as.matrix(tab))
    for (k in seq_along(groups)) {
      g <- groups[k]
      i <- which(st == g)
      curves[[length(curves) + 1]] <- list(kenmerk = sc(kenmerk), groep = sc(g), methode = sc("km"), variantie = sc(variantie),
        tijd = fit$time[i], cum_incidentie = 1 - fit$surv[i], std_err = se_s[i],
        lower = 1 - fit$upper[i], upper = 1 - fit$lower[i],
        mediaan = sc(tab[k, "median"]), mediaan_lower = sc(tab[k, "0.95LCL"]), mediaan_upper = sc(tab[k, "0.95UCL"]))
    }
  }
  # Aalen–Johansen: cause 1 is column 2 of pstate ("(s0)" first)
  st <- strata_of(fit_aj)
  for (k in seq_along(groups)) {
    g <- groups[k]
    i <- which(st == g)
    infl <- if (one) fit_aj$influence.pstate else fit_aj$influence.pstate[[k]]
    ids <- d$persoon_id[d$groep == g]
    # influence rows are the group's rows in data order; [row, time, state]
    per_person <- rowsum(infl[, , 2, drop = FALSE][, , 1], ids)
    # the influence array has a first time column for the starting point (time 0-) when
    # survfit adds it; keep the columns of the curve's own times
    if (ncol(per_person) == length(i) + 1) per_person <- per_person[, -1, drop = FALSE]
    se_person <- sqrt(colSums(per_person^2))
    p <- fit_aj$pstate[i, 2]
    for (variantie in c("robuust", "greenwood")) {
      se <- if (variantie == "robuust") se_person else fit_aj$std.err[i, 2]
      ci <- survival:::survfit_confint(p, se, logse = FALSE, "log", 0.95)
      curves[[length(curves) + 1]] <- list(kenmerk = sc(kenmerk), groep = sc(g), methode = sc("aj"), variantie = sc(variantie),
        tijd = fit_aj$time[i], cum_incidentie = p, std_err = se, lower = ci$lower, upper = ci$upper)
    }
  }
  if (!one) {
    rs <- summary(coxph(Surv(tijd, status == 1) ~ groep, data = d, cluster = persoon_id))$robscore
    sd <- survdiff(Surv(tijd, status == 1) ~ groep, data = d)
    tests[[length(tests) + 1]] <- list(kenmerk = sc(kenmerk), robuust_chikwadraat = sc(rs[["test"]]), robuust_df = sc(rs[["df"]]),
      robuust_p = sc(rs[["pvalue"]]), logrank_chikwadraat = sc(sd$chisq), logrank_df = sc(length(groups) - 1))
  }
}
out <- list(
  note = sc("baaneindes of a generated world (scale 0.01, seed 3) in the D6 window; made by scripts/r/make-golden-survival-analysis.R"),
  data = list(persoon_id = rows$persoon_id, jobcoach = ifelse(is.na(rows$jobcoach), NA, rows$jobcoach),
              dagen_tot_reintegratie = rows$dagen_tot_reintegratie, reintegratie = rows$reintegratie),
  curves = curves, tests = tests)
writeLines(tojson(out), out_file)
cat("geschreven:", out_file, "\n")
