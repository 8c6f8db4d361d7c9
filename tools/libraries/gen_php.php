<?php
// Signs the scenarios of scenarios.json with PHP's PECL oauth extension (Debian php-oauth),
// used as its manual shows (new OAuth(...), setToken, fetch), and prints one JSON line per
// request as it would leave the machine. getRequestHeader() returns the Authorization header
// fetch() sends for the same arguments, so no socket is opened. Expected faults come from
// reading the extension (`source`); build.py checks them against the independent reference.

$sc = json_decode(file_get_contents(__DIR__ . '/scenarios.json'), true);
const SOURCE = 'oauth.c (pecl/oauth): oauth_generate_sig_base lower-cases scheme and host and '
    . 'drops a default port; the URL query goes through PHP\'s query parser into an array, '
    . 'so a repeated name keeps its last value; both secrets are rawurlencoded into the key';
$WS = ['key-secret-whitespace'];
$expect = [
    'secret-trailing-space' => $WS, 'secret-trailing-newline' => $WS, 'field-combo' => $WS,
    'repeated-in-url' => ['params-duplicates-last'],
    'repeated-non-ascii' => ['params-duplicates-last'],
    'repeated-non-ascii-rfc-order' => ['params-duplicates-last'],
    // the raw space is encoded once in the base string; the client sends %20
    'space-in-path' => ['uri-path-decoded'],
];

$i = 0;
foreach ($sc['scenarios'] as $s) {
    $real = ($s['secret'] ?? '') === 'reserved' ? $sc['reserved_secret'] : $sc['consumer_secret'];
    $given = array_key_exists('secret_given', $s) ? $s['secret_given'] : $real;
    $pairs = array_merge($s['params'] ?? [], $s['data'] ?? []);
    $names = array_column($pairs, 0);
    if (count($names) !== count(array_unique($names))) {
        continue; // a PHP array cannot hold a repeated name
    }
    $extra = [];
    foreach ($pairs as [$n, $v]) {
        $extra[$n] = $v;
    }
    $o = new OAuth($sc['consumer_key'], $given, OAUTH_SIG_METHOD_HMACSHA1, OAUTH_AUTH_TYPE_AUTHORIZATION);
    $o->setNonce(sprintf('php%02dn0nce', $i++));
    $o->setTimestamp((string) $sc['timestamp']);
    if (!empty($s['use_token'])) {
        $o->setToken($sc['token'], $sc['token_secret']);
    }
    $auth = $o->getRequestHeader($s['method'], $s['url'], $extra);
    $headers = [['Authorization', $auth]];
    $url = $s['url'];
    $body = null;
    if (isset($s['data'])) {
        $headers[] = ['Content-Type', 'application/x-www-form-urlencoded'];
        $body = http_build_query($extra, '', '&', PHP_QUERY_RFC3986);
    } elseif ($extra) {
        $url .= (strpos($url, '?') === false ? '?' : '&') . http_build_query($extra, '', '&', PHP_QUERY_RFC3986);
    }
    $faults = $expect[$s['case']] ?? [];
    sort($faults);
    echo json_encode([
        'id' => 'php-pecl-oauth-' . $s['case'], 'ecosystem' => 'php', 'library' => 'pecl/oauth',
        'version' => phpversion('oauth'), 'case' => $s['case'], 'misuse' => $s['misuse'],
        'request' => ['method' => $s['method'], 'url' => $url, 'headers' => $headers, 'body' => $body],
        'consumer_secret' => $real, 'token_secret' => !empty($s['use_token']) ? $sc['token_secret'] : null,
        'expect_faults' => $faults,
        'variants' => $given === $real ? new stdClass() : ['key-secret-whitespace' => $given],
        'source' => SOURCE,
    ], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}
