<?php
// A read-only endpoint guarded by PECL oauth's OAuthProvider (Debian php-oauth), run as
// `php -S 127.0.0.1:PORT pecl_provider.php`. The provider rebuilds the URL it verifies from
// HTTP_HOST, REQUEST_URI and X-Forwarded-Proto/HTTPS exactly as the extension does in any
// deployment; we only supply the lookups a real app supplies (consumer, token, nonce store).
//
// Configuration (environment, so no secret is in the process list):
//   VERIFIER_CONSUMER_KEY, VERIFIER_CONSUMER_SECRET       the consumer pair
//   VERIFIER_TOKEN, VERIFIER_TOKEN_SECRET                 set: a 3-legged endpoint
//   VERIFIER_STATE_DIR                                    where used nonces are remembered
//   VERIFIER_TIMESTAMP_WINDOW                             seconds (default 600)

$key = (string) getenv('VERIFIER_CONSUMER_KEY');
$secret = (string) getenv('VERIFIER_CONSUMER_SECRET');
$token = (string) getenv('VERIFIER_TOKEN');
$tokenSecret = (string) getenv('VERIFIER_TOKEN_SECRET');
$stateDir = getenv('VERIFIER_STATE_DIR') ?: sys_get_temp_dir();
$window = (int) (getenv('VERIFIER_TIMESTAMP_WINDOW') ?: 600);

try {
    $provider = new OAuthProvider();
    $provider->is2LeggedEndpoint($token === '');
    $provider->consumerHandler(function ($p) use ($key, $secret) {
        if ($p->consumer_key !== $key) {
            return OAUTH_CONSUMER_KEY_UNKNOWN;
        }
        $p->consumer_secret = $secret;
        return OAUTH_OK;
    });
    $provider->tokenHandler(function ($p) use ($token, $tokenSecret) {
        if ($token === '' || $p->token !== $token) {
            return OAUTH_TOKEN_REJECTED;
        }
        $p->token_secret = $tokenSecret;
        return OAUTH_OK;
    });
    $provider->timestampNonceHandler(function ($p) use ($stateDir, $window) {
        if (abs(time() - (int) $p->timestamp) > $window) {
            return OAUTH_BAD_TIMESTAMP;
        }
        // php -S may run several worker processes: an exclusive create is the shared store.
        $f = @fopen($stateDir . '/pecl-nonce-' . sha1($p->consumer_key . "\0" . $p->nonce), 'x');
        if ($f === false) {
            return OAUTH_BAD_NONCE;
        }
        fclose($f);
        return OAUTH_OK;
    });
    $provider->checkOAuthRequest();
} catch (OAuthException $e) {
    // The extension's own problem report (oauth_problem=...&debug_sbs=...), status set by it.
    echo OAuthProvider::reportProblem($e);
    exit;
}
header('Content-Type: application/json');
echo json_encode(['ok' => true, 'verifier' => 'pecl-oauth']), "\n";
