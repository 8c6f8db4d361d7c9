# A read-only endpoint guarded by the Ruby oauth gem (Debian ruby-oauth), as a Rack app
# behind WEBrick. OAuth::Signature.verify checks the URL Rack rebuilds (Rack::Request#url:
# HTTPS / X-Forwarded-Proto / X-Forwarded-Host / Host, as Rack trusts them by default).
# The gem verifies signatures only; the timestamp window and the nonce store are the app's
# job, as in oauth-plugin, whose 401 body ("Invalid OAuth Request") this app answers with,
# plus an OAuth Problem Reporting header saying which check failed.
#
# Usage: ruby ruby_oauth.rb PORT  (credentials in VERIFIER_CONSUMER_KEY,
# VERIFIER_CONSUMER_SECRET, VERIFIER_TOKEN, VERIFIER_TOKEN_SECRET).
require 'rack'
require 'webrick'
require 'oauth'
require 'oauth/signature/hmac/sha1'
require 'oauth/request_proxy/rack_request'

KEY = ENV.fetch('VERIFIER_CONSUMER_KEY', '')
SECRET = ENV.fetch('VERIFIER_CONSUMER_SECRET', '')
TOKEN = ENV.fetch('VERIFIER_TOKEN', '')
TOKEN_SECRET = ENV.fetch('VERIFIER_TOKEN_SECRET', '')
WINDOW = Integer(ENV.fetch('VERIFIER_TIMESTAMP_WINDOW', '600'))
NONCES = {}
LOCK = Mutex.new

def refuse(problem)
  [401, { 'Content-Type' => 'text/plain',
          'WWW-Authenticate' => %(OAuth realm="ruby-oauth", oauth_problem="#{problem}") },
   ["Invalid OAuth Request\n"]]
end

APP = lambda do |env|
  request = Rack::Request.new(env)
  proxy = OAuth::RequestProxy.proxy(request)
  params = proxy.parameters
  next refuse('parameter_absent') unless params['oauth_signature'] && params['oauth_nonce']
  next refuse('consumer_key_unknown') unless proxy.consumer_key == KEY
  next refuse('token_rejected') unless TOKEN.empty? || proxy.token == TOKEN
  next refuse('timestamp_refused') unless (Time.now.to_i - proxy.timestamp.to_i).abs <= WINDOW
  fresh = LOCK.synchronize { NONCES[[proxy.consumer_key, proxy.nonce]] ? false : (NONCES[[proxy.consumer_key, proxy.nonce]] = true) }
  next refuse('nonce_used') unless fresh
  ok = begin
    OAuth::Signature.verify(request, consumer_secret: SECRET,
                                     token_secret: TOKEN.empty? ? '' : TOKEN_SECRET)
  rescue OAuth::Signature::UnknownSignatureMethod
    next refuse('signature_method_rejected')
  end
  next refuse('signature_invalid') unless ok
  [200, { 'Content-Type' => 'application/json' }, [%({"ok": true, "verifier": "ruby-oauth"}\n)]]
end

Rack::Handler::WEBrick.run(APP, Host: '127.0.0.1', Port: Integer(ARGV.fetch(0)),
                                Logger: WEBrick::Log.new(File::NULL), AccessLog: [])
