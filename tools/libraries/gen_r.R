# Signs the scenarios of scenarios.json with R's httr (Debian r-cran-httr), the way the
# Alteryx forum's "Calling Alteryx Gallery API from RStudio" does it: oauth_signature() on
# the full URL, then GET(url, oauth_header(sig)). Prints one JSON line per request as it
# would leave the machine. Expected faults come from reading httr (`source`); build.py
# checks them against the independent reference. httr's nonce() and the clock are replaced
# by fixed values (in a copy of oauth_signature) so the corpus is stable.
suppressPackageStartupMessages({
  library(httr)
  library(jsonlite)
})
sc <- fromJSON(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))),
                         "scenarios.json"), simplifyVector = FALSE)
source_txt <- paste(
  "httr R/oauth-signature.R: oauth_normalise_url keeps the hostname's case (parse_url);",
  "oauth_normalize_params takes parse_url's query, which does not turn '+' into a space,",
  "and sort_names() orders by name alone (a stable order(): repeated values stay in wire",
  "order); oauth_signature escapes both secrets")
fixed_clock <- new.env(parent = asNamespace("httr"))
fixed_clock$Sys.time <- function() as.POSIXct(sc$timestamp, origin = "1970-01-01", tz = "UTC")
sign_fixed <- httr::oauth_signature
environment(sign_fixed) <- fixed_clock
ws <- list("key-secret-whitespace")
expect <- list(
  "secret-trailing-space" = ws, "secret-trailing-newline" = ws,
  "field-combo" = c(ws, list("uri-host-case")),
  "upper-host" = list("uri-host-case"),
  "plus-in-url" = list("params-plus-literal"),
  "repeated-apart" = list("params-sorted-by-name-only"),
  "repeated-in-url" = list("params-sorted-by-name-only"),
  "repeated-non-ascii" = list("params-sorted-by-name-only"),
  # the raw space is encoded once in the base string; curl sends %20
  "space-in-path" = list("uri-path-decoded")
)
i <- 0
for (s in sc$scenarios) {
  real <- if (identical(s$secret, "reserved")) sc$reserved_secret else sc$consumer_secret
  given <- if (!is.null(s$secret_given)) s$secret_given else real
  url <- s$url
  pairs <- c(s$params, s$data)
  if (!is.null(s$params)) {
    # the user builds the URL first (modify_url escapes with curl_escape), then signs it
    q <- setNames(lapply(s$params, `[[`, 2), vapply(s$params, `[[`, "", 1))
    url <- modify_url(url, query = c(parse_url(url)$query, q))
  }
  nonce_value <- sprintf("r%02dn0nce", i)
  i <- i + 1
  fixed_clock$nonce <- function(length = 10) nonce_value
  app <- oauth_app("sigdoctor", key = sc$consumer_key, secret = given)
  tok <- if (isTRUE(s$use_token)) sc$token else NULL
  tsec <- if (isTRUE(s$use_token)) sc$token_secret else NULL
  body <- NULL
  other <- NULL
  if (!is.null(s$data)) {
    other <- setNames(lapply(s$data, `[[`, 2), vapply(s$data, `[[`, "", 1))
    body <- paste0(vapply(names(other), curl::curl_escape, ""), "=",
                   vapply(other, curl::curl_escape, ""), collapse = "&")
  }
  sig <- sign_fixed(url, s$method, app, tok, tsec, other_params = other)
  if (!is.null(other)) sig <- sig[!names(sig) %in% names(other)]
  auth <- oauth_header(sig)$headers[["Authorization"]]
  headers <- list(list("Authorization", auth))
  if (!is.null(body)) headers <- c(headers, list(list("Content-Type", "application/x-www-form-urlencoded")))
  faults <- expect[[s$case]]
  if (is.null(faults)) faults <- list()
  variants <- if (identical(given, real)) setNames(list(), character(0)) else list("key-secret-whitespace" = given)
  row <- list(
    id = paste0("r-httr-", s$case), ecosystem = "r", library = "httr",
    version = as.character(packageVersion("httr")), case = s$case, misuse = s$misuse,
    request = list(method = s$method, url = url, headers = headers, body = body),
    consumer_secret = real, token_secret = tsec,
    expect_faults = I(as.character(sort(unlist(faults)))), variants = variants, source = source_txt
  )
  cat(toJSON(row, auto_unbox = TRUE, null = "null"), "\n", sep = "")
}

# The forum thread's own client ("Calling Alteryx Gallery API from RStudio"): the signature
# is made for the API root held in a variable, the request goes to an endpoint under it.
base_url <- "https://gallery.example.com/gallery/api/v1/"
endpoint <- paste0(base_url, "workflows/subscription/")
fixed_clock$nonce <- function(length = 10) "rrootn0nce"
app <- oauth_app("sigdoctor", key = sc$consumer_key, secret = sc$consumer_secret)
sig <- sign_fixed(base_url, "GET", app)
cat(toJSON(list(
  id = "r-httr-signed-api-root", ecosystem = "r", library = "httr",
  version = as.character(packageVersion("httr")), case = "signed-api-root",
  misuse = "oauth_signature(url = Baseurl) for the API root, then GET of an endpoint under it",
  request = list(method = "GET", url = endpoint,
                 headers = list(list("Authorization", oauth_header(sig)$headers[["Authorization"]])),
                 body = NULL),
  consumer_secret = sc$consumer_secret, token_secret = NULL,
  expect_faults = I("uri-path-prefix"), variants = list("uri-path-prefix" = "/gallery/api/v1/"),
  source = source_txt
), auto_unbox = TRUE, null = "null"), "\n", sep = "")
