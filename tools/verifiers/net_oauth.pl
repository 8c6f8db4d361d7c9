#!/usr/bin/perl
# A read-only endpoint guarded by Perl's Net::OAuth (Debian libnet-oauth-perl), as a PSGI app
# on Plack's HTTP::Server::PSGI behind Plack::Middleware::ReverseProxy (the middleware Plack
# prescribes behind a proxy: X-Forwarded-Proto/-Host/-Port). Net::OAuth verifies the URL
# Plack::Request#uri rebuilds. Like the Ruby gem, it verifies signatures only: the timestamp
# window and the nonce store are the app's, and so is the 401 (an OAuth Problem Reporting
# header naming the check that failed).
#
# Usage: perl net_oauth.pl PORT  (credentials in VERIFIER_CONSUMER_KEY,
# VERIFIER_CONSUMER_SECRET, VERIFIER_TOKEN, VERIFIER_TOKEN_SECRET).
use strict;
use warnings;
use HTTP::Server::PSGI;
use Net::OAuth;
use Plack::Builder;
use Plack::Request;

$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;
my $key = $ENV{VERIFIER_CONSUMER_KEY} // '';
my $secret = $ENV{VERIFIER_CONSUMER_SECRET} // '';
my $token = $ENV{VERIFIER_TOKEN} // '';
my $token_secret = $ENV{VERIFIER_TOKEN_SECRET} // '';
my $window = $ENV{VERIFIER_TIMESTAMP_WINDOW} // 600;
my %nonces;

sub refuse {
    my ($problem) = @_;
    return [401, ['Content-Type' => 'text/plain',
                  'WWW-Authenticate' => qq(OAuth realm="net-oauth", oauth_problem="$problem")],
            ["oauth_problem=$problem\n"]];
}

# OAuth parameters from the Authorization header (RFC 5849 3.5.1).
sub header_params {
    my ($value) = @_;
    my %p;
    return %p unless defined $value && $value =~ s/^\s*OAuth\s+//i;
    while ($value =~ /([\w.~-]+)\s*=\s*"([^"]*)"/g) {
        my ($k, $v) = ($1, $2);
        next if $k eq 'realm';
        $p{Net::OAuth::Message::decode($k)} = Net::OAuth::Message::decode($v);
    }
    return %p;
}

my $app = sub {
    my $req = Plack::Request->new(shift);
    my %params = (%{ $req->query_parameters->as_hashref },
                  %{ $req->body_parameters->as_hashref },
                  header_params($req->header('Authorization')));
    return refuse('parameter_absent')
        unless $params{oauth_signature} && $params{oauth_nonce} && $params{oauth_timestamp};
    return refuse('consumer_key_unknown') unless ($params{oauth_consumer_key} // '') eq $key;
    return refuse('token_rejected') if $token ne '' && ($params{oauth_token} // '') ne $token;
    return refuse('timestamp_refused') if abs(time - $params{oauth_timestamp}) > $window;
    return refuse('nonce_used') if $nonces{"$params{oauth_consumer_key}\0$params{oauth_nonce}"}++;
    my $url = $req->uri;
    $url->query(undef);
    my $ok = eval {
        my $message = Net::OAuth->request($token eq '' ? 'consumer' : 'protected resource')
            ->from_hash(\%params,
                        request_url => "$url",
                        request_method => $req->method,
                        consumer_secret => $secret,
                        token_secret => $token eq '' ? '' : $token_secret);
        $message->verify;
    };
    return refuse('signature_method_rejected') if $@;
    return refuse('signature_invalid') unless $ok;
    return [200, ['Content-Type' => 'application/json'], [qq({"ok": true, "verifier": "net-oauth"}\n)]];
};

HTTP::Server::PSGI->new(host => '127.0.0.1', port => $ARGV[0])
    ->run(builder { enable 'ReverseProxy'; $app });
