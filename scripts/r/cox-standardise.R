# Direct standardisation of a Cox fit over its rows, with the delta-method standard error of
# each group's mean curve and of its difference with the reference level (robust and model
# variance), from R's own building blocks (survival:::agsurv: Efron hazard, its variance and the
# hazard-weighted means). Stops unless the same formula reproduces survfit's curve and std.err
# for every single row. Shared by make-golden-cox.R and make-golden-vergelijking-cox.R; needs
# json.R (sc) and library(survival).
#   fit: coxph with cluster (robust var) and x = TRUE; fit_naive: the same without cluster;
#   used: the rows of the fit (factors with the fit's levels); group: the factor to set per level.
standardise <- function(fit, fit_naive, used, group, times) {
  tt <- delete.response(terms(fit))
  xlev <- fit$xlevels
  mm <- function(nd) {
    m <- model.matrix(tt, model.frame(tt, nd, xlev = xlev), xlev = xlev)
    m[, colnames(m) != "(Intercept)", drop = FALSE]
  }
  X <- sweep(fit$x, 2, fit$means)
  risk <- exp(c(X %*% coef(fit)))
  ag <- survival:::agsurv(fit$y, X, rep(1, nrow(X)), risk, 3, 3)
  idx <- findInterval(times, ag$time)
  pick <- function(v) ifelse(idx == 0, 0, c(0, v)[idx + 1])
  H <- pick(ag$cumhaz)
  VH <- pick(cumsum(ag$varhaz))
  # agsurv's xbar is cumulative in survival 3.5 (per time in later versions)
  xbar_cum <- any(grepl("xbar = apply(", deparse(survival:::agsurv), fixed = TRUE))
  GX <- apply(ag$xbar, 2, function(col) pick(if (xbar_cum) col else cumsum(col)))
  if (!is.matrix(GX)) GX <- matrix(GX, nrow = length(times))
  levels_g <- levels(used[[group]])
  per <- list()
  for (g in levels_g) {
    nd <- used
    nd[[group]] <- factor(g, levels = levels_g)
    x2 <- sweep(mm(nd), 2, fit$means)
    r2 <- exp(c(x2 %*% coef(fit)))
    S <- exp(-outer(H, r2))                       # times x rows
    # anchor: survfit itself, curve and per-row std.err of S (robust and naive variance)
    sf <- summary(survfit(fit, newdata = nd), times = times, extend = TRUE)
    sfn <- summary(survfit(fit_naive, newdata = nd), times = times, extend = TRUE)
    chk <- function(a, b) stopifnot(isTRUE(all.equal(unname(as.matrix(a)), unname(as.matrix(b)), tolerance = 1e-10)))
    chk(S, sf$surv)
    se_row <- function(V) sapply(seq_along(r2), function(i) {
      q <- r2[i] * (outer(H, x2[i, ]) - GX)       # times x p
      sqrt(r2[i]^2 * VH + rowSums((q %*% V) * q))
    })
    chk(S * se_row(fit$var), sf$std.err)
    chk(S * se_row(fit$naive.var), sfn$std.err)
    A <- rowMeans(S * rep(r2, each = length(times)))
    C <- t(sapply(seq_along(times), function(j) colMeans(S[j, ] * r2 * (outer(rep(H[j], length(r2)), rep(1, ncol(x2))) * x2 - rep(GX[j, ], each = length(r2))))))
    if (ncol(x2) == 1) C <- matrix(C, ncol = 1)
    per[[g]] <- list(surv = rowMeans(S), A = A, C = C)
  }
  se_of <- function(A, C, V) sqrt(A^2 * VH + rowSums((C %*% V) * C))
  curves <- lapply(levels_g, function(g) list(level = sc(g), surv = per[[g]]$surv,
    se_robust = se_of(per[[g]]$A, per[[g]]$C, fit$var),
    se_model = se_of(per[[g]]$A, per[[g]]$C, fit$naive.var)))
  ref <- levels_g[1]
  diffs <- lapply(levels_g[-1], function(g) {
    dA <- per[[g]]$A - per[[ref]]$A
    dC <- per[[g]]$C - per[[ref]]$C
    list(level = sc(g), reference = sc(ref), diff = per[[g]]$surv - per[[ref]]$surv,
         se_robust = se_of(dA, dC, fit$var), se_model = se_of(dA, dC, fit$naive.var))
  })
  list(group = sc(group), times = times, curves = curves, differences = diffs)
}
