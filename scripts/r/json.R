# Minimal JSON writer for the golden-fixture scripts (base R, no jsonlite): numbers with 17
# significant digits, NA/NaN (numbers and strings) as null, +-Inf as the strings "Inf"/"-Inf", a
# data frame as an object of columns. Needs `outdir`.
jnum <- function(v) {
  v <- as.numeric(v)
  ifelse(is.na(v), "null",
    ifelse(is.infinite(v), ifelse(v > 0, "\"Inf\"", "\"-Inf\""), sprintf("%.17g", v)))
}
jstr <- function(s) ifelse(is.na(s), "null", paste0("\"", gsub("\"", "\\\\\"", as.character(s)), "\""))
# arrays are always arrays (even of length 1); scalars are wrapped with sc()
sc <- function(x) structure(list(x), class = "jscalar")
tojson <- function(x) {
  if (inherits(x, "jscalar")) {
    v <- x[[1]]
    if (is.null(v) || length(v) == 0) return("null")
    if (is.character(v)) return(jstr(v))
    if (is.logical(v) && !is.na(v)) return(if (v) "true" else "false")
    return(jnum(v))
  }
  if (is.data.frame(x)) return(tojson(as.list(x)))
  if (is.list(x)) {
    if (!is.null(names(x))) {
      parts <- mapply(function(k, v) paste0(jstr(k), ":", tojson(v)), names(x), x)
      return(paste0("{", paste(parts, collapse = ","), "}"))
    }
    return(paste0("[", paste(vapply(x, tojson, ""), collapse = ","), "]"))
  }
  if (is.matrix(x)) { # by column: list of columns
    return(tojson(lapply(seq_len(ncol(x)), function(j) x[, j])))
  }
  if (is.character(x) || is.factor(x)) return(paste0("[", paste(jstr(as.character(x)), collapse = ","), "]"))
  paste0("[", paste(jnum(x), collapse = ","), "]")
}
write_case <- function(name, obj) {
  f <- file.path(outdir, paste0(name, ".json"))
  writeLines(tojson(obj), f)
  cat("wrote", f, "\n")
}
