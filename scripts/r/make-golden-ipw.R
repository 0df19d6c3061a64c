# Golden values for the inverse-probability weighting (analyses/adjust) from R.
#
#   Rscript scripts/r/make-golden-ipw.R [outdir]      (default: test/fixtures/adjust)
#
# Per case one JSON file with the input rows (so the tests need no R) and R's results:
#  - nnet::multinom(groep ~ covariates, maxit = 1000, reltol = 1e-12, abstol = 1e-12):
#    coefficients, standard errors (summary), deviance, fitted probabilities per row; and the
#    optimum itself, Newton steps in R from multinom's solution (see polish());
#  - with interactions under a ridge penalty on them (spec interacties, interactieStraf), which
#    multinom cannot fit (its decay penalises every weight): the design from R's model.matrix
#    (`~ . + a:b + ...`, product columns that are zero for every row dropped), the penalised
#    log-likelihood maximised by optim(BFGS, reltol 1e-14) as "the model", and Newton steps on
#    the penalised objective from there as the optimum (standard errors from the penalised
#    information, deviance −2 log L without the penalty);
#  - everything below from the optimum's fitted probabilities:
#  - stabilised weights P(groep) / P(groep | x) per row, trimmed at the 1st/99th percentile
#    (quantile type 7 over all rows), at a fixed maximum, and not;
#  - weight summaries (min, p1, median, p99, max, sum, ESS) per group and in total;
#  - the balance table (plain R: shares, means, weighted.mean, SMD with unweighted variances);
#  - survfit(Surv(tijd, status == 1) ~ groep, weights = w) and
#    survfit(Surv(tijd, factor(status, 0:2)) ~ groep, weights = w, id = row, cluster = persoon)
#    (one id per ending: survfit refuses overlapping intervals of one id).
# Coding as analyses/adjust/design.ts: categorical NA as the level "onbekend", levels in C
# order (reference first), numeric NA as 0 plus an indicator `<kolom>_onbekend`; pooling of
# levels with fewer than `samenvoegenOnder` endings in some group into "overig".
# Numbers with 17 significant digits; NA/NaN as null.
suppressPackageStartupMessages({ library(nnet); library(survival) })
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "test/fixtures/adjust"
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)

## ---- minimal JSON writer (scripts/r/json.R) ----------------------------------------
script_dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
source(file.path(script_dir, "json.R"))

GROEPEN <- c("geen", "extern", "intern")
csort <- function(x) sort(unique(x), method = "radix")

## ---- simulated endings -----------------------------------------------------------------
simulate <- function(n, seed, sparse = FALSE) {
  set.seed(seed)
  regeling <- sample(c("wajong2010", "oWajong", "wWajong"), n, TRUE, c(0.5, 0.3, 0.2))
  diag_levels <- c("lichamelijk", "psychisch", "verstandelijk", "zintuiglijk")
  diagnosegroep <- sample(c(diag_levels, NA), n, TRUE, c(0.3, 0.3, 0.25, 0.1, 0.05))
  opleidingsniveau <- sample(c("laag", "middelbaar", "hoog", "onbekend"), n, TRUE, c(0.5, 0.3, 0.1, 0.1))
  geslacht <- sample(c("M", "V"), n, TRUE)
  jaar <- sample(2015:2019, n, TRUE)
  leeftijd <- sample(18:64, n, TRUE)
  uren <- round(runif(n, 4, 38) * 4) / 4
  uren[runif(n) < 0.12] <- NA
  le <- -1.2 + 0.6 * (regeling == "oWajong") - 0.5 * (regeling == "wWajong") + 0.4 * (diagnosegroep %in% "psychisch") +
    0.3 * (opleidingsniveau == "hoog") - 0.02 * (leeftijd - 40) + 0.03 * ifelse(is.na(uren), 20, uren) - 0.3 * is.na(uren)
  li <- -1.6 + 0.5 * (regeling == "wajong2010") + 0.2 * (jaar - 2017) + 0.3 * (geslacht == "V") - 0.4 * (diagnosegroep %in% "verstandelijk")
  p <- cbind(1, exp(le), exp(li))
  p <- p / rowSums(p)
  u <- runif(n)
  groep <- GROEPEN[1 + (u > p[, 1]) + (u > p[, 1] + p[, 2])]
  if (sparse) {
    # two rare diagnoses: one never with extern, one with few endings in every group
    k <- 7
    idx <- sample(which(groep != "extern"), k)
    diagnosegroep[idx] <- "zeldzaam_a"
    idx2 <- c(sample(which(groep == "extern" & diagnosegroep %in% diag_levels), 3),
              sample(which(groep == "geen" & diagnosegroep %in% diag_levels), 4),
              sample(which(groep == "intern" & diagnosegroep %in% diag_levels), 2))
    diagnosegroep[idx2] <- "zeldzaam_b"
  }
  persoon <- paste0("p", sample(seq_len(round(n * 0.7)), n, TRUE))
  tijd <- pmin(round(rexp(n, 1 / (300 - 80 * (groep == "extern")))), 1500)
  status <- ifelse(tijd >= 1500, 0L, sample(0:2, n, TRUE, c(0.3, 0.55, 0.15)))
  data.frame(persoon_id = persoon, groep = groep, regeling = regeling, diagnosegroep = diagnosegroep,
             opleidingsniveau = opleidingsniveau, geslacht = geslacht, jaar = jaar, leeftijd = leeftijd,
             uren_per_week = uren, tijd = tijd, status = status, stringsAsFactors = FALSE)
}

## ---- the analysis in R ---------------------------------------------------------------------
# cov: list(kolom, soort = "categorisch"|"numeriek", afronding = NULL)
code_design <- function(d, covs, samenvoegen_onder) {
  x <- data.frame(row.names = seq_len(nrow(d)))
  coded <- list()
  for (cv in covs) {
    v <- d[[cv$kolom]]
    if (cv$soort == "categorisch") {
      v <- ifelse(is.na(v), "onbekend", as.character(v))
      if (!is.null(samenvoegen_onder)) {
        tab <- table(factor(v, levels = csort(v)), factor(d$groep, levels = GROEPEN))
        small <- rownames(tab)[apply(tab, 1, min) < samenvoegen_onder]
        v[v %in% small] <- "overig"
      }
      x[[cv$kolom]] <- factor(v, levels = csort(v))
      coded[[cv$kolom]] <- v
    } else {
      if (!is.null(cv$afronding)) v <- sign(v) * floor(abs(v) / cv$afronding + 0.5) * cv$afronding # half away from zero, as DuckDB round()
      x[[cv$kolom]] <- ifelse(is.na(v), 0, v)
      if (any(is.na(v))) x[[paste0(cv$kolom, "_onbekend")]] <- as.numeric(is.na(v))
    }
  }
  list(x = x, coded = coded)
}

# multinom (BFGS) stops when the deviance changes less than reltol, which leaves the
# coefficients ~1e-6 from the optimum. Newton steps from multinom's solution, with the
# analytic gradient and information of the baseline-category logit, reach the optimum to
# machine precision: the reference for the 1e-9 comparisons (multinom itself is compared at 1e-6).
# With `lam` (a penalty per column of X, recycled over the groups) the objective is the
# penalised log-likelihood log L − ½ Σ lam·b².
design_matrix <- function(x, interacties = NULL) {
  rhs <- paste(c(".", vapply(interacties, paste, "", collapse = ":")), collapse = " + ")
  X <- model.matrix(as.formula(paste("~", rhs)), data = x[, setdiff(names(x), "groep"), drop = FALSE])
  X[, colSums(X != 0) > 0, drop = FALSE]
}

polish <- function(x, cf, X = design_matrix(x), lam = rep(0, ncol(X))) {
  stopifnot(identical(colnames(X), colnames(cf)))
  Y <- sapply(GROEPEN, function(g) as.numeric(x$groep == g))
  p <- ncol(X)
  q <- length(GROEPEN) - 1
  L <- rep(lam, q)
  b <- as.vector(t(cf))
  probs <- function(b) {
    eta <- cbind(0, X %*% matrix(b, p))
    P <- exp(eta - apply(eta, 1, max))
    P / rowSums(P)
  }
  info <- function(P) {
    blocks <- lapply(1:q, function(k) lapply(1:q, function(l)
      crossprod(X * (P[, k + 1] * ((k == l) - P[, l + 1])), X)))
    do.call(rbind, lapply(blocks, function(r) do.call(cbind, r)))
  }
  grad <- function(P, b) unlist(lapply(1:q, function(k) crossprod(X, Y[, k + 1] - P[, k + 1]))) - L * b
  steps <- 0
  repeat {
    P <- probs(b)
    step <- solve(info(P) + diag(L, length(L)), grad(P, b))
    b <- b + step
    steps <- steps + 1
    if (max(abs(step)) < 1e-13 || steps >= 20) break
  }
  P <- probs(b)
  g <- grad(P, b)
  colnames(P) <- GROEPEN
  list(coef = matrix(b, p), se = matrix(sqrt(diag(solve(info(P) + diag(L, length(L))))), p), fitted = P,
       deviance = -2 * sum(Y * log(P)), max_gradient = max(abs(g)), steps = steps, terms = colnames(X))
}

# The penalised fit by R's general optimiser (BFGS on −log L + ½ Σ lam·b², analytic gradient),
# started from the marginal shares; returned in multinom's shapes (coefficients per group in rows).
penalised_fit <- function(x, X, lam) {
  Y <- sapply(GROEPEN, function(g) as.numeric(x$groep == g))
  p <- ncol(X)
  q <- length(GROEPEN) - 1
  L <- rep(lam, q)
  probs <- function(b) {
    eta <- cbind(0, X %*% matrix(b, p))
    P <- exp(eta - apply(eta, 1, max))
    P / rowSums(P)
  }
  fn <- function(b) -sum(Y * log(probs(b))) + 0.5 * sum(L * b^2)
  gr <- function(b) {
    P <- probs(b)
    -unlist(lapply(1:q, function(k) crossprod(X, Y[, k + 1] - P[, k + 1]))) + L * b
  }
  b0 <- rep(0, p * q)
  b0[(0:(q - 1)) * p + 1] <- log(colSums(Y)[-1] / sum(Y[, 1]))
  o <- optim(b0, fn, gr, method = "BFGS", control = list(maxit = 10000, reltol = 1e-14))
  cf <- t(matrix(o$par, p, dimnames = list(colnames(X), GROEPEN[-1])))
  pol <- polish(x, cf, X, lam)
  P <- probs(o$par)
  colnames(P) <- GROEPEN
  # standard errors of the optimiser's solution: from the penalised information there
  info1 <- polish_info(X, P, q) + diag(L, length(L))
  list(coef = cf, se = t(matrix(sqrt(diag(solve(info1))), p, dimnames = list(colnames(X), GROEPEN[-1]))),
       deviance = -2 * sum(Y * log(P)), convergence = o$convergence, fitted = P)
}

polish_info <- function(X, P, q) {
  blocks <- lapply(1:q, function(k) lapply(1:q, function(l)
    crossprod(X * (P[, k + 1] * ((k == l) - P[, l + 1])), X)))
  do.call(rbind, lapply(blocks, function(r) do.call(cbind, r)))
}

trim <- function(w, t) {
  if (t$soort == "percentiel") {
    q <- unname(quantile(w, c(t$onder, t$boven), type = 7))
    list(w = pmin(pmax(w, q[1]), q[2]), onder = q[1], boven = q[2])
  } else if (t$soort == "maximum") list(w = pmin(w, t$maximum), onder = NA, boven = t$maximum)
  else list(w = w, onder = NA, boven = NA)
}

summ <- function(w, g) {
  one <- function(x) list(n = sc(length(x)), min = sc(min(x)), p01 = sc(unname(quantile(x, 0.01))),
    mediaan = sc(unname(quantile(x, 0.5))), p99 = sc(unname(quantile(x, 0.99))), max = sc(max(x)),
    som = sc(sum(x)), ess = sc(sum(x)^2 / sum(x^2)))
  out <- lapply(GROEPEN, function(k) one(w[g == k]))
  names(out) <- GROEPEN
  out$totaal <- one(w)
  out
}

balance <- function(d, covs, coded, w, interacties = NULL) {
  rows <- list()
  add <- function(kolom, niveau, ind_or_x, is_mean) {
    stats <- lapply(GROEPEN, function(k) {
      sel <- d$groep == k
      if (is_mean) {
        ok <- sel & !is.na(ind_or_x)
        list(n = sum(ok), nGroep = sum(sel), somGewicht = sum(w[ok]), ongewogen = mean(ind_or_x[ok]),
             gewogen = weighted.mean(ind_or_x[ok], w[ok]), variantie = var(ind_or_x[ok]))
      } else {
        p <- mean(ind_or_x[sel])
        list(n = sum(ind_or_x[sel]), nGroep = sum(sel), somGewicht = sum(w[sel & ind_or_x == 1]), ongewogen = p,
             gewogen = weighted.mean(ind_or_x[sel], w[sel]), variantie = p * (1 - p))
      }
    })
    ref <- stats[[1]]
    for (i in seq_along(GROEPEN)) {
      s <- stats[[i]]
      den <- sqrt((s$variantie + ref$variantie) / 2)
      smd_o <- if (i == 1 || den == 0) NA else (s$ongewogen - ref$ongewogen) / den
      smd_g <- if (i == 1 || den == 0) NA else (s$gewogen - ref$gewogen) / den
      rows[[length(rows) + 1]] <<- list(kolom = sc(kolom), niveau = sc(niveau), groep = sc(GROEPEN[i]),
        n = sc(s$n), nGroep = sc(s$nGroep), somGewicht = sc(s$somGewicht), ongewogen = sc(s$ongewogen),
        gewogen = sc(s$gewogen), variantie = sc(s$variantie), smdOngewogen = sc(smd_o), smdGewogen = sc(smd_g))
    }
  }
  for (cv in covs) {
    if (cv$soort == "categorisch") {
      v <- coded[[cv$kolom]]
      for (l in csort(v)) add(cv$kolom, l, as.numeric(v == l), FALSE)
    } else {
      v <- d[[cv$kolom]]
      add(cv$kolom, "gemiddelde", v, TRUE)
      if (any(is.na(v))) add(cv$kolom, "onbekend", as.numeric(is.na(v)), FALSE)
    }
  }
  # the cells of each interaction: the combinations that occur
  for (pr in interacties) {
    v <- paste(coded[[pr[1]]], coded[[pr[2]]], sep = " \u00d7 ")
    for (l in csort(v)) add(paste(pr[1], pr[2], sep = " \u00d7 "), l, as.numeric(v == l), FALSE)
  }
  rows
}

curves <- function(d, w) {
  d$w <- w
  d$g <- factor(d$groep, levels = GROEPEN)
  km <- survfit(Surv(tijd, status == 1) ~ g, data = d, weights = w)
  # a person with several endings has overlapping (0, tijd] intervals, which survfit refuses
  # under one id: each ending is its own id, the person the cluster (which only moves the variance)
  d$rij <- seq_len(nrow(d))
  aj <- survfit(Surv(tijd, factor(status, 0:2)) ~ g, data = d, weights = w, id = rij, cluster = persoon_id)
  split_km <- function(fit) {
    st <- rep(GROEPEN, fit$strata)
    out <- lapply(GROEPEN, function(k) {
      s <- st == k
      list(time = fit$time[s], n_risk = fit$n.risk[s], n_event = fit$n.event[s], n_censor = fit$n.censor[s], surv = fit$surv[s])
    })
    names(out) <- GROEPEN
    out
  }
  split_aj <- function(fit) {
    st <- rep(GROEPEN, fit$strata)
    out <- lapply(GROEPEN, function(k) {
      s <- st == k
      # n.risk and n.event of a multi-state survfit are unweighted counts
      list(time = fit$time[s], n_risk = fit$n.risk[s, 1], n_event_1 = fit$n.event[s, 2], n_event_2 = fit$n.event[s, 3],
           surv = fit$pstate[s, 1], cum_inc_1 = fit$pstate[s, 2], cum_inc_2 = fit$pstate[s, 3])
    })
    names(out) <- GROEPEN
    out
  }
  list(km = split_km(km), aj = split_aj(aj))
}

ipw_case <- function(name, d, covs, samenvoegen_onder = NULL, trims, fout_zonder_samenvoegen = FALSE,
                     interacties = NULL, straf = NULL) {
  des <- code_design(d, covs, samenvoegen_onder)
  x <- des$x
  x$groep <- factor(d$groep, levels = GROEPEN)
  if (is.null(interacties)) {
    fit <- multinom(groep ~ ., data = x, maxit = 1000, reltol = 1e-12, abstol = 1e-12, trace = FALSE)
    s <- summary(fit)
    cf <- coef(fit)
    se <- s$standard.errors
    opt <- polish(x, cf)
    fitted_model <- fitted(fit)[, GROEPEN]
    dev_model <- deviance(fit)
    conv <- fit$convergence
  } else {
    X <- design_matrix(x, interacties)
    lam <- ifelse(grepl(":", colnames(X), fixed = TRUE), straf, 0)
    pf <- penalised_fit(x, X, lam)
    cf <- pf$coef
    se <- pf$se
    opt <- polish(x, cf, X, lam)
    fitted_model <- pf$fitted[, GROEPEN]
    dev_model <- pf$deviance
    conv <- pf$convergence
  }
  pr <- opt$fitted
  marg <- as.numeric(table(factor(d$groep, levels = GROEPEN))) / nrow(d)
  gi <- match(d$groep, GROEPEN)
  p_groep <- pr[cbind(seq_len(nrow(d)), gi)]
  w_ruw <- marg[gi] / p_groep
  variants <- lapply(trims, function(t) {
    tr <- trim(w_ruw, t)
    list(trimming = lapply(t, sc), onder = sc(tr$onder), boven = sc(tr$boven), gewicht = tr$w,
         samenvatting_ruw = summ(w_ruw, d$groep), samenvatting = summ(tr$w, d$groep))
  })
  main_w <- trim(w_ruw, trims[[1]])$w
  write_case(name, list(
    name = sc(name),
    data = d,
    spec = c(list(groepen = GROEPEN, samenvoegenOnder = sc(samenvoegen_onder),
                  covariaten = lapply(covs, function(cv) lapply(cv, sc))),
             if (is.null(interacties)) list() else list(interacties = interacties, interactieStraf = sc(straf))),
    fout_zonder_samenvoegen = sc(fout_zonder_samenvoegen),
    model = list(terms = colnames(cf), groepen = rownames(cf), coef = t(cf), se = t(se),
                 deviance = sc(dev_model), convergence = sc(conv),
                 fitted = fitted_model),
    optimum = list(coef = opt$coef, se = opt$se, deviance = sc(opt$deviance), max_gradient = sc(opt$max_gradient),
                   newton_stappen = sc(opt$steps), fitted = pr[, GROEPEN]),
    p_groep = p_groep, gewicht_ruw = w_ruw,
    varianten = variants,
    balans = balance(d, covs, des$coded, main_w, interacties),
    curves = curves(d, main_w)
  ))
}

covs_basis <- list(
  list(kolom = "regeling", soort = "categorisch"),
  list(kolom = "diagnosegroep", soort = "categorisch"),
  list(kolom = "opleidingsniveau", soort = "categorisch"),
  list(kolom = "geslacht", soort = "categorisch"),
  list(kolom = "jaar", soort = "categorisch"),
  list(kolom = "leeftijd", soort = "numeriek"),
  list(kolom = "uren_per_week", soort = "numeriek")
)
trims <- list(list(soort = "percentiel", onder = 0.01, boven = 0.99), list(soort = "maximum", maximum = 2.5), list(soort = "geen"))

ipw_case("ipw-basis", simulate(2500, 11), covs_basis, trims = trims)
covs_afr <- covs_basis
covs_afr[[7]] <- list(kolom = "uren_per_week", soort = "numeriek", afronding = 2)
ipw_case("ipw-samenvoegen", simulate(1800, 23, sparse = TRUE), covs_afr, samenvoegen_onder = 10,
         trims = list(list(soort = "percentiel", onder = 0.05, boven = 0.95), list(soort = "geen")),
         fout_zonder_samenvoegen = TRUE)

# Interactions under the ridge penalty (the published comparison's model form): the chance of a
# jobcoach is a product of factors, as in the generator, so it is not additive on the logit
# scale. One combination of levels has no intern ending (its interaction coefficient stays finite
# only through the penalty) and one never occurs (no column).
simulate_product <- function(n, seed) {
  d <- simulate(n, seed)
  set.seed(seed + 1)
  f_diag <- c(lichamelijk = 0.1, psychisch = 0.25, verstandelijk = 0.6, zintuiglijk = 0.15)
  f_opl <- c(laag = 1.2, middelbaar = 0.8, hoog = 0.5, onbekend = 1)
  f_reg <- c(wajong2010 = 1.2, oWajong = 0.9, wWajong = 1.1)
  dg <- ifelse(is.na(d$diagnosegroep), "zintuiglijk", d$diagnosegroep)
  pc <- pmin(0.95, f_diag[dg] * f_opl[d$opleidingsniveau] * f_reg[d$regeling])
  coach <- runif(n) < pc
  d$groep <- ifelse(!coach, "geen", ifelse(runif(n) < 0.2, "intern", "extern"))
  d$opleidingsniveau[d$diagnosegroep %in% "zintuiglijk" & d$opleidingsniveau == "onbekend"] <- "laag"
  d$groep[d$diagnosegroep %in% "zintuiglijk" & d$opleidingsniveau == "laag" & d$groep == "intern"] <- "geen"
  d$tijd <- pmin(round(rexp(n, 1 / (300 - 80 * (d$groep == "extern")))), 1500)
  d$status <- ifelse(d$tijd >= 1500, 0L, sample(0:2, n, TRUE, c(0.3, 0.55, 0.15)))
  d
}
covs_int <- covs_basis[c(1, 2, 3, 5, 6)]
ipw_case("ipw-interacties", simulate_product(3000, 41), covs_int, samenvoegen_onder = 1,
         trims = list(list(soort = "percentiel", onder = 0.01, boven = 0.99), list(soort = "geen")),
         interacties = list(c("regeling", "diagnosegroep"), c("diagnosegroep", "opleidingsniveau")), straf = 1)
