# Signs the scenarios of scenarios.json with the Ruby oauth gem (Debian ruby-oauth), used as
# its README shows (OAuth::Consumer + create_signed_request, which returns the signed
# Net::HTTP request without sending it), and prints one JSON line per request as it would
# leave the machine. Expected faults come from reading the gem (`source`); build.py checks
# them against the independent reference.
require 'json'
require 'oauth'
require 'uri'

SC = JSON.parse(File.read(File.join(__dir__, 'scenarios.json')))
SOURCE = 'oauth/request_proxy/net_http.rb: all_parameters reads the query with CGI.parse, ' \
         'which splits on & and ; alike; request_proxy/base.rb normalized_uri lower-cases the ' \
         'host and drops a default port; signature/base.rb secret escapes both secrets'
WS = ['key-secret-whitespace'].freeze
EXPECT = {
  'secret-trailing-space' => WS, 'secret-trailing-newline' => WS, 'field-combo' => WS,
  'semicolon-in-url' => ['params-semicolon-split'],
  # Helper#normalize sorts a name's values before escaping them (values.sort)
  'repeated-non-ascii' => ['params-sorted-raw'],
  'repeated-non-ascii-rfc-order' => ['params-sorted-raw']
}.freeze

def secrets_of(sc)
  real = sc['secret'] == 'reserved' ? SC['reserved_secret'] : SC['consumer_secret']
  [real, sc.key?('secret_given') ? sc['secret_given'] : real]
end

SC['scenarios'].each_with_index do |sc, i|
  real, given = secrets_of(sc)
  m = sc['url'].match(%r{\A(https?://[^/]+)(/.*)\z})
  site, path = m[1], m[2]
  # README: parameters sent apart go on the path as a query string (GET) or as the form body.
  path += (path.include?('?') ? '&' : '?') + URI.encode_www_form(sc['params']) if sc['params']
  consumer = OAuth::Consumer.new(SC['consumer_key'], given, site: site)
  token = sc['use_token'] ? OAuth::AccessToken.new(consumer, SC['token'], SC['token_secret']) : nil
  opts = { nonce: format('rb%02dn0nce', i), timestamp: SC['timestamp'].to_s }
  method = sc['method'].downcase.to_sym
  args = sc['data'] ? [sc['data'].to_h] : []
  begin
    req = consumer.create_signed_request(method, path, token, opts, *args)
  rescue URI::InvalidURIError
    next # URI refuses a raw space in the path: the user gets an error, no request
  end
  headers = [['Authorization', req['Authorization']]]
  headers << ['Content-Type', req['Content-Type']] if req.body
  puts JSON.generate(
    id: "ruby-oauth-#{sc['case']}", ecosystem: 'ruby', library: 'oauth (Ruby gem)',
    version: OAuth::VERSION, case: sc['case'], misuse: sc['misuse'],
    request: { method: req.method, url: site + req.path, headers: headers, body: req.body },
    consumer_secret: real, token_secret: sc['use_token'] ? SC['token_secret'] : nil,
    expect_faults: (EXPECT[sc['case']] || []).sort,
    variants: given == real ? {} : { 'key-secret-whitespace' => given },
    source: SOURCE
  )
end
