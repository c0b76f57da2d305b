#!/usr/bin/perl
# Interop client for the dkreg EPP server, written with Net::EPP (Debian: libnet-epp-perl).
# Driven by tests/interop/test_net_epp.py; not meant to be run by hand (but it can be).
#
# Protocol with the driver:
#   stdin  line 1: one JSON object: host port ca_file user pass domain other_domain ns1 ns2 token
#                  name street city pc cc voice email [debug]
#   stdout       : one JSON object per line, {"step": ..., ...}; the driver checks the values.
#                  After domain:create the script prints {"step":"await_processing"} and waits
#                  for one more stdin line (the driver runs epp_server.process_pending() first).
#   exit status  : 0 when the session ran to the end, 1 after a {"step":"fatal"} line.
#
# Net::EPP::Simple does connect/greeting/login (with TLS verification against ca_file) and
# host:create. Everything else uses the Net::EPP::Frame::Command::* classes sent with
# $epp->request(), because Simple's helpers cannot carry an <extension> (contact/domain create),
# check only one name per command, skip <domain:authInfo> when the password is empty, and hide
# the result code of poll/logout.
use strict;
use warnings;

use JSON::PP;
use Net::EPP::Simple;
use Net::EPP::Frame;

use constant EPP_NS     => 'urn:ietf:params:xml:ns:epp-1.0';
use constant DOMAIN_NS  => 'urn:ietf:params:xml:ns:domain-1.0';
use constant CONTACT_NS => 'urn:ietf:params:xml:ns:contact-1.0';
use constant HOST_NS    => 'urn:ietf:params:xml:ns:host-1.0';
use constant DKHM_NS    => 'urn:dkhm:params:xml:ns:dkhm-4.3';

$| = 1;
my $JSON = JSON::PP->new->canonical->utf8;

sub emit {
	my (%fields) = @_;
	print $JSON->encode(\%fields), "\n";
}

sub fatal {
	my ($step, $error, %more) = @_;
	emit(step => 'fatal', at => $step, error => "$error", %more);
	exit 1;
}

# The first element with this namespace URI and local name, or undef.
sub node {
	my ($doc, $ns, $local) = @_;
	return undef unless defined $doc;
	return $doc->getElementsByTagNameNS($ns, $local)->shift;
}

sub text_of {
	my $el = node(@_);
	return defined $el ? $el->textContent : undef;
}

# Result code and message of a response frame (Net::EPP::Frame::Response, an XML::LibXML doc).
# The code comes from the library's own accessor, Net::EPP::Frame::Response::code(), which finds
# <result> by its *qualified* name: a server that prefixed the EPP namespace would read as 2400.
# (Its msg() accessor is not used: it returns nothing when there are two <msg> elements, as in
# every 1301 poll response.)
sub result_of {
	my ($response) = @_;
	return (undef, $Net::EPP::Simple::Error) unless defined $response;
	my $result = node($response, EPP_NS, 'result');
	return ($response->code + 0, defined $result ? text_of($result, EPP_NS, 'msg') : undef);
}

# Put <dkhm:$local>$text</dkhm:$local> into the frame's <extension>, which must come before
# <clTRID> (Net::EPP builds <command><verb/><clTRID/></command>, so a plain appendChild would
# land after it).
sub add_dkhm {
	my ($frame, $local, $text) = @_;
	my $ext = $frame->getNode('extension');
	if (!defined $ext) {
		$ext = $frame->createElement('extension');
		$frame->command->insertBefore($ext, $frame->clTRID);
	}
	my $el = $frame->createElementNS(DKHM_NS, "dkhm:$local");
	$el->appendText($text);
	$ext->appendChild($el);
	return $el;
}

sub send_frame {
	my ($epp, $step, $frame) = @_;
	my $response = $epp->request($frame);
	my ($code, $msg) = result_of($response);
	fatal($step, "no usable response: " . ($msg // '')) unless defined $code;
	return ($response, $code, $msg);
}

my $line = <STDIN>;
fatal('config', 'no configuration line on stdin') unless defined $line;
my $cfg = $JSON->decode($line);

# --- connect + greeting + login (Net::EPP::Simple constructor) --------------------------------
my $epp = Net::EPP::Simple->new(
	host        => $cfg->{host},
	port        => $cfg->{port},
	user        => $cfg->{user},
	pass        => $cfg->{pass},
	verify      => 1,                 # SSL_verify_mode = VERIFY_PEER ...
	ca_file     => $cfg->{ca_file},   # ... against the dev CA only
	objects     => [DOMAIN_NS, CONTACT_NS, HOST_NS],
	extensions  => [DKHM_NS],
	timeout     => 30,                # seconds per response (alarm); default is 5
	reconnect   => 0,                 # no silent <hello> + reconnect before every command
	load_config => 0,                 # ignore ~/.net-epp-simple-rc
	debug       => ($cfg->{debug} ? 1 : 0),
);
if (!defined $epp) {
	fatal('login', $Net::EPP::Simple::Error, code => $Net::EPP::Simple::Code);
}
my $greeting = $epp->greeting;
emit(
	step    => 'greeting',
	svID    => text_of($greeting, EPP_NS, 'svID'),
	extURIs => [map { $_->textContent } $greeting->getElementsByTagNameNS(EPP_NS, 'extURI')],
);
emit(step => 'login', code => $Net::EPP::Simple::Code + 0, msg => $Net::EPP::Simple::Message);

# --- hello inside the session ---------------------------------------------------------------
emit(step => 'hello', ok => ($epp->ping ? JSON::PP::true : JSON::PP::false));

# --- domain:check of two names ----------------------------------------------------------------
{
	my $frame = Net::EPP::Frame::Command::Check::Domain->new;
	$frame->addDomain($_) for ($cfg->{domain}, $cfg->{other_domain});
	my ($response, $code, $msg) = send_frame($epp, 'check', $frame);
	my %avail;
	for my $name ($response->getElementsByTagNameNS(DOMAIN_NS, 'name')) {
		my $a = $name->getAttribute('avail');
		$avail{$name->textContent} = (defined $a && ($a eq '1' || $a eq 'true'))
			? JSON::PP::true : JSON::PP::false;
	}
	emit(step => 'check', code => $code, msg => $msg, avail => \%avail);
}

# --- contact:create id=auto + dkhm:userType -----------------------------------------------------
my $handle;
{
	my $frame = Net::EPP::Frame::Command::Create::Contact->new;
	$frame->setContact('auto');
	# addPostalInfo always writes city, sp, pc and cc (empty ones as empty elements)
	$frame->addPostalInfo('loc', $cfg->{name}, undef, {
		street => [$cfg->{street}],
		city   => $cfg->{city},
		sp     => '',
		pc     => $cfg->{pc},
		cc     => $cfg->{cc},
	});
	$frame->setVoice($cfg->{voice});
	$frame->setEmail($cfg->{email});
	$frame->setAuthInfo('');
	add_dkhm($frame, 'userType', 'individual');
	my ($response, $code, $msg) = send_frame($epp, 'contact_create', $frame);
	my $creData = node($response, CONTACT_NS, 'creData');
	$handle = defined $creData ? text_of($creData, CONTACT_NS, 'id') : undef;
	emit(step => 'contact_create', code => $code, msg => $msg, id => $handle);
	fatal('contact_create', "no contact:creData/contact:id (code $code)") unless defined $handle;
}

# --- host:create x2 without addresses (Net::EPP::Simple high level) ---------------------------
for my $ns ($cfg->{ns1}, $cfg->{ns2}) {
	my $ok = $epp->create_host({name => $ns, addrs => []});
	emit(step => 'host_create', name => $ns, ok => ($ok ? JSON::PP::true : JSON::PP::false),
		code => ($Net::EPP::Simple::Code // 0) + 0, msg => $Net::EPP::Simple::Message,
		error => $Net::EPP::Simple::Error);
}

# --- domain:create + dkhm:orderconfirmationToken ------------------------------------------------
{
	my $frame = Net::EPP::Frame::Command::Create::Domain->new;
	$frame->setDomain($cfg->{domain});
	$frame->setPeriod(1, 'y');
	$frame->setNS($cfg->{ns1}, $cfg->{ns2});
	$frame->setRegistrant($handle);
	$frame->setAuthInfo('');   # <domain:authInfo><domain:pw/></domain:authInfo>
	add_dkhm($frame, 'orderconfirmationToken', $cfg->{token});
	my ($response, $code, $msg) = send_frame($epp, 'domain_create', $frame);
	emit(step => 'domain_create', code => $code, msg => $msg,
		trackingNo => text_of($response, DKHM_NS, 'trackingNo'));
}

# --- wait until the driver has run the registry's pending work ------------------------------------
emit(step => 'await_processing');
my $go = <STDIN>;
fatal('await_processing', 'driver closed stdin') unless defined $go;

# --- poll req (+ ack) -------------------------------------------------------------------------
{
	my ($response, $code, $msg) = send_frame($epp, 'poll_req',
		Net::EPP::Frame::Command::Poll::Req->new);
	my $msgQ = node($response, EPP_NS, 'msgQ');
	my $id = defined $msgQ ? $msgQ->getAttribute('id') : undef;
	emit(step => 'poll_req', code => $code, msg => $msg, id => $id,
		count => (defined $msgQ ? $msgQ->getAttribute('count') : undef),
		qmsg => (defined $msgQ ? text_of($msgQ, EPP_NS, 'msg') : undef));
	if ($code == 1301) {
		fatal('poll_req', '1301 without msgQ id') unless defined $id;
		my $ack = Net::EPP::Frame::Command::Poll::Ack->new;
		$ack->setMsgID($id);
		my (undef, $acode, $amsg) = send_frame($epp, 'poll_ack', $ack);
		emit(step => 'poll_ack', code => $acode, msg => $amsg, id => $id);
	}
}

# --- logout ------------------------------------------------------------------------------------
{
	# Simple's logout() does not report the result code, so send the frame ourselves ...
	my ($response, $code, $msg) = send_frame($epp, 'logout',
		Net::EPP::Frame::Command::Logout->new);
	emit(step => 'logout', code => $code, msg => $msg);
	# ... then let Simple tear down without a second <logout> (also keeps DESTROY quiet).
	$epp->{authenticated} = 0;
	$epp->logout;
}

emit(step => 'done');
exit 0;
