#!/usr/bin/perl
# Signs the scenarios of scenarios.json with Perl's Net::OAuth (Debian libnet-oauth-perl),
# used as its POD shows (Net::OAuth->request(...)->new, sign, to_authorization_header or
# to_post_body), and prints one JSON line per request as it would leave the machine.
# Expected faults come from reading Net::OAuth (`source`); build.py checks them against the
# independent reference. Parameter values are byte strings, as a script without
# `use utf8` or an explicit decode has them: Net::OAuth warns, then encodes each byte again.
use strict;
use warnings;
use FindBin;
use JSON::PP;
use Encode qw(encode_utf8);
use URI;
use Net::OAuth;

$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;
local $SIG{__WARN__} = sub { };    # the double-encoding warning is the behaviour under test

my $json = JSON::PP->new->canonical;
my $sc = do {
    local $/;
    open my $fh, '<', "$FindBin::Bin/scenarios.json" or die "scenarios.json: $!";
    $json->decode(<$fh>);
};
my $SOURCE = 'Net/OAuth/Request.pm: normalized_request_url is the URI with its query removed '
  . '(port and host case kept); Message.pm gather_message_parameters takes query_param($k) in scalar context (the first value), '
  . 'sorts the joined "k=v" strings, and encode() runs uri_escape_utf8 on byte strings';
my @WS = ('key-secret-whitespace');
my %EXPECT = (
    'secret-trailing-space'   => [@WS],
    'secret-trailing-newline' => [@WS],
    'field-combo'             => [@WS, 'uri-default-port-kept', 'uri-host-case'],
    'port-443'                => ['uri-default-port-kept'],
    'upper-host'              => ['uri-host-case'],
    'values-apart'            => ['params-utf8-double-encoded'],
    'encoded-in-url'          => ['params-utf8-double-encoded'],
    'repeated-apart'          => ['params-duplicates-collapsed'],
    'repeated-in-url'         => ['params-duplicates-collapsed'],
    'repeated-non-ascii'      => ['params-duplicates-collapsed'],
    # the first value kept is Zürich, whose bytes are then encoded again
    'repeated-non-ascii-rfc-order' => ['params-duplicates-collapsed', 'params-utf8-double-encoded'],
    'prefix-names'            => ['params-sorted-as-strings'],
    # URI's query_form splits the query on ';' as well as '&'
    'semicolon-in-url'        => ['params-semicolon-split'],
    # to_post_body writes the URL's query parameters into the body too; the URL keeps them:
    # include_entities goes out twice and is signed once
    'post-form'               => ['params-duplicates-collapsed'],
);

my @cases = map { [ $_, {} ] } @{ $sc->{scenarios} };

my $i = 0;
for my $c (@cases) {
    my ($s, $o) = @$c;
    my $real = ($s->{secret} // '') eq 'reserved' ? $sc->{reserved_secret} : $sc->{consumer_secret};
    my $given = exists $s->{secret_given} ? $s->{secret_given} : $real;
    my %extra;
    my @apart = map { [ map { encode_utf8($_) } @$_ ] } @{ $s->{params} || [] }, @{ $s->{data} || [] };
    # a hash: a repeated name keeps one value (the last assigned, here the first given)
    for my $p (reverse @apart) { $extra{ $p->[0] } = $p->[1] }
    my $url = URI->new($s->{url});
    $url->query_form($url->query_form, map { @$_ } @{ $s->{params} || [] }) if $s->{params};
    my $type = $s->{use_token} ? 'protected resource' : 'consumer';
    my $req = Net::OAuth->request($type)->new(
        consumer_key     => $sc->{consumer_key},
        consumer_secret  => $given,
        request_url      => $url->as_string,
        request_method   => $s->{method},
        signature_method => 'HMAC-SHA1',
        timestamp        => $sc->{timestamp},
        nonce            => sprintf('pl%02dn0nce', $i++),
        ($s->{use_token} ? (token => $sc->{token}, token_secret => $sc->{token_secret}) : ()),
        extra_params     => \%extra,
    );
    $req->sign;
    my ($headers, $body, $sent_url) = ([], undef, $url->as_string);
    if ($s->{data}) {
        my $u = URI->new($s->{url});
        $sent_url = $u->as_string;
        $body = $req->to_post_body;
        push @$headers, [ 'Content-Type', 'application/x-www-form-urlencoded' ];
    } else {
        push @$headers, [ 'Authorization', $req->to_authorization_header ];
    }
    my @faults = sort @{ $o->{faults} || $EXPECT{ $s->{case} } || [] };
    print $json->encode({
        id => "perl-net-oauth-$s->{case}", ecosystem => 'perl', library => 'Net::OAuth',
        version => "$Net::OAuth::VERSION", case => $s->{case}, misuse => $s->{misuse},
        request => { method => $s->{method}, url => $sent_url, headers => $headers, body => $body },
        consumer_secret => $real, token_secret => ($s->{use_token} ? $sc->{token_secret} : undef),
        expect_faults => \@faults,
        variants => ($given eq $real ? {} : { 'key-secret-whitespace' => $given }),
        source => $SOURCE,
    }), "\n";
}
