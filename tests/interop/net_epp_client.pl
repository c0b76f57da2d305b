#!/usr/bin/perl
# Interop client for the dkreg EPP server, written with Net::EPP (Debian: libnet-epp-perl).
# Driven by tests/interop/test_net_epp.py; not meant to be run by hand (but it can be).
#
# Protocol with the driver:
#   stdin  line 1: one JSON object: host port ca_file user pass domain other_domain ns1 ns2 token
#                  name street city pc cc voice email [debug] [flow dkhm_ns], and for the
#                  lifecycle flow also ns3 subhost glue_v4 glue_v6 new_voice gaining_user
#                  gaining_pass
#   stdout       : one JSON object per line, {"step": ..., ...}; the driver checks the values.
#                  After domain:create the script prints {"step":"await_processing"} and waits
#                  for one more stdin line (the driver runs epp_server.process_pending() first).
#   exit status  : 0 when the session ran to the end, 1 after a {"step":"fatal"} line.
#
# flow "session" (default): the basic registrar session (check, contact/host/domain create, poll).
# flow "lifecycle": a verified registrant (dkhm-4.5), a domain, then renew, update domain (NS +
#   AuthInfo token), update/delete of a host under the domain, update contact, transfer to a
#   second registrar (second session in this process), both poll queues, delete domain.
# flow "echo": as Net::DRI's DKHostmaster driver does, log in echoing every objURI and extURI
#   of the greeting (dkhm-4.3, 4.4 and 4.5), write dkhm-4.3 and read every dkhm element of
#   the answers in 4.3: trackingNo, userType and CVR, risk_assessment, the token, autoRenew.
#   Configuration: cvr, org (a company contact).
#
# Net::EPP::Simple does connect/greeting/login (with TLS verification against ca_file),
# host:create, and in the lifecycle flow domain_info (subclassed, see DkhmSimple below),
# renew_domain, update_domain, create_host, update_host, host_info, delete_host, update_contact,
# contact_info and delete_domain. Everything else uses the Net::EPP::Frame::Command::* classes
# sent with $epp->request(), because Simple's helpers cannot carry an <extension> (contact/domain
# create), check only one name per command, skip <domain:authInfo> when the password is empty,
# hide the result code of poll/logout, and (domain_transfer_request) always send a
# <domain:period>, which a .dk transfer refuses.
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
my $cfg;               # the driver's configuration (stdin line 1)
my $DKHM = DKHM_NS;    # the dkhm namespace of this run (config dkhm_ns)

# Net::EPP::Simple's documented hook for parsing info responses: domain_info() also returns
# the registry's AuthInfo tokens (dkhm:authInfo in the response <extension>), which the base
# class does not read.
package DkhmSimple {
	our @ISA = ('Net::EPP::Simple');

	sub parse_object_info {
		my ($self, $type, $response) = @_;
		my $info = $self->SUPER::parse_object_info($type, $response);
		if ($type eq 'domain' && ref($info) eq 'HASH') {
			$info->{dkhm_authInfo} = [
				map { {op => $_->getAttribute('op'), expdate => $_->getAttribute('expdate'),
					token => $_->textContent} }
				$response->getElementsByTagNameNS($DKHM, 'authInfo')
			];
		}
		return $info;
	}
}

sub emit {
	my (%fields) = @_;
	print $JSON->encode(\%fields), "\n";
}

sub fatal {
	my ($step, $error, %more) = @_;
	emit(step => 'fatal', at => $step, error => "$error", %more);
	exit 1;
}

sub bool { return $_[0] ? JSON::PP::true : JSON::PP::false }

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

# Put <dkhm:$local>$value</dkhm:$local> into the frame's <extension>, which must come before
# <clTRID> (Net::EPP builds <command><verb/><clTRID/></command>, so a plain appendChild would
# land after it). $value is text, or an array ref of child (local name => text) pairs in
# schema order.
sub add_dkhm {
	my ($frame, $local, $value) = @_;
	my $ext = $frame->getNode('extension');
	if (!defined $ext) {
		$ext = $frame->createElement('extension');
		$frame->command->insertBefore($ext, $frame->clTRID);
	}
	my $el = $frame->createElementNS($DKHM, "dkhm:$local");
	if (ref($value) eq 'ARRAY') {
		my @pairs = @$value;
		while (my ($child, $text) = splice(@pairs, 0, 2)) {
			$el->appendChild($frame->createElementNS($DKHM, "dkhm:$child"))->appendText($text);
		}
	} else {
		$el->appendText($value);
	}
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

# What a Net::EPP::Simple call left behind: its result code, message and error.
sub simple_result {
	my ($ok) = @_;
	return (ok => bool($ok), code => ($Net::EPP::Simple::Code // 0) + 0,
		msg => $Net::EPP::Simple::Message, error => $Net::EPP::Simple::Error);
}

# --- connect + greeting + login (Net::EPP::Simple constructor) --------------------------------
sub open_session {
	my ($user, $pass, $step) = @_;
	my $epp = DkhmSimple->new(
		host        => $cfg->{host},
		port        => $cfg->{port},
		user        => $user,
		pass        => $pass,
		verify      => 1,                      # SSL_verify_mode = VERIFY_PEER ...
		ca_file     => $cfg->{ca_file},   # ... against the dev CA only
		# the "echo" flow leaves both lists out: Net::EPP::Simple then echoes the greeting's
		($cfg->{flow} // '') eq 'echo' ? () : (
			objects     => [DOMAIN_NS, CONTACT_NS, HOST_NS],
			extensions  => [$DKHM],
		),
		timeout     => 30,                     # seconds per response (alarm); default is 5
		reconnect   => 0,                      # no silent <hello> + reconnect before every command
		load_config => 0,                      # ignore ~/.net-epp-simple-rc
		debug       => ($cfg->{debug} ? 1 : 0),
	);
	if (!defined $epp) {
		fatal($step, $Net::EPP::Simple::Error, code => $Net::EPP::Simple::Code);
	}
	return $epp;
}

# --- contact:create id=auto + dkhm:userType (+ dkhm:contact_verification) ---------------------
sub create_contact {
	my ($epp, $verified) = @_;
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
	if ($verified) {
		add_dkhm($frame, 'contact_verification',
			[verified_id => 'true', verified_email => 'true']);
	}
	my ($response, $code, $msg) = send_frame($epp, 'contact_create', $frame);
	my $creData = node($response, CONTACT_NS, 'creData');
	my $handle = defined $creData ? text_of($creData, CONTACT_NS, 'id') : undef;
	emit(step => 'contact_create', code => $code, msg => $msg, id => $handle);
	fatal('contact_create', "no contact:creData/contact:id (code $code)") unless defined $handle;
	return $handle;
}

# --- host:create without addresses (Net::EPP::Simple high level) -------------------------------
sub create_hosts {
	my ($epp, @names) = @_;
	for my $ns (@names) {
		my $ok = $epp->create_host({name => $ns, addrs => []});
		emit(step => 'host_create', name => $ns, simple_result($ok));
	}
}

# --- domain:create + dkhm:orderconfirmationToken, then wait for the registry ---------------------
sub create_domain {
	my ($epp, $handle) = @_;
	my $frame = Net::EPP::Frame::Command::Create::Domain->new;
	$frame->setDomain($cfg->{domain});
	$frame->setPeriod(1, 'y');
	$frame->setNS($cfg->{ns1}, $cfg->{ns2});
	$frame->setRegistrant($handle);
	$frame->setAuthInfo('');   # <domain:authInfo><domain:pw/></domain:authInfo>
	add_dkhm($frame, 'orderconfirmationToken', $cfg->{token});
	my ($response, $code, $msg) = send_frame($epp, 'domain_create', $frame);
	emit(step => 'domain_create', code => $code, msg => $msg,
		trackingNo => text_of($response, $DKHM, 'trackingNo'));

	emit(step => 'await_processing');
	my $go = <STDIN>;
	fatal('await_processing', 'driver closed stdin') unless defined $go;
}

# --- poll req (+ ack) --------------------------------------------------------------------------
sub poll_once {
	my ($epp, $step, $ack_step) = @_;
	my ($response, $code, $msg) = send_frame($epp, $step,
		Net::EPP::Frame::Command::Poll::Req->new);
	my $msgQ = node($response, EPP_NS, 'msgQ');
	my $id = defined $msgQ ? $msgQ->getAttribute('id') : undef;
	my $trnData = node($response, DOMAIN_NS, 'trnData');
	my $paResult = node($response, DOMAIN_NS, 'name');
	emit(step => $step, code => $code, msg => $msg, id => $id,
		count => (defined $msgQ ? $msgQ->getAttribute('count') : undef),
		qmsg => (defined $msgQ ? text_of($msgQ, EPP_NS, 'msg') : undef),
		paResult => (defined $paResult ? $paResult->getAttribute('paResult') : undef),
		reID => text_of($trnData, DOMAIN_NS, 'reID'),
		trStatus => text_of($trnData, DOMAIN_NS, 'trStatus'));
	if ($code == 1301) {
		fatal($step, '1301 without msgQ id') unless defined $id;
		my $ack = Net::EPP::Frame::Command::Poll::Ack->new;
		$ack->setMsgID($id);
		my (undef, $acode, $amsg) = send_frame($epp, $ack_step, $ack);
		emit(step => $ack_step, code => $acode, msg => $amsg, id => $id);
	}
}

# --- logout ------------------------------------------------------------------------------------
sub logout {
	my ($epp, $step) = @_;
	# Simple's logout() does not report the result code, so send the frame ourselves ...
	my ($response, $code, $msg) = send_frame($epp, $step,
		Net::EPP::Frame::Command::Logout->new);
	emit(step => $step, code => $code, msg => $msg);
	# ... then let Simple tear down without a second <logout> (also keeps DESTROY quiet).
	$epp->{authenticated} = 0;
	$epp->logout;
}

# --- info domain (Net::EPP::Simple domain_info + the DkhmSimple hook) ---------------------------
sub domain_info {
	my ($epp, $step, $name) = @_;
	my $info = $epp->domain_info($name);
	fatal($step, $Net::EPP::Simple::Error, code => $Net::EPP::Simple::Code)
		unless ref($info) eq 'HASH';
	emit(step => $step, code => $Net::EPP::Simple::Code + 0, clID => $info->{clID},
		exDate => $info->{exDate}, ns => $info->{ns} // [], status => $info->{status} // [],
		tokens => $info->{dkhm_authInfo} // []);
	return $info;
}

# --- contact:create of a company (userType company, CVR) and contact:info of it ---------------
sub company_contact {
	my ($epp) = @_;
	my $frame = Net::EPP::Frame::Command::Create::Contact->new;
	$frame->setContact('auto');
	$frame->addPostalInfo('loc', $cfg->{name}, $cfg->{org}, {
		street => [$cfg->{street}], city => $cfg->{city}, sp => '', pc => $cfg->{pc},
		cc => $cfg->{cc},
	});
	$frame->setVoice($cfg->{voice});
	$frame->setEmail($cfg->{email});
	$frame->setAuthInfo('');
	add_dkhm($frame, 'userType', 'company');
	add_dkhm($frame, 'CVR', $cfg->{cvr});
	my ($response, $code, $msg) = send_frame($epp, 'company_create', $frame);
	my $handle = text_of(node($response, CONTACT_NS, 'creData'), CONTACT_NS, 'id');
	emit(step => 'company_create', code => $code, msg => $msg, id => $handle);
	fatal('company_create', "no contact:creData/contact:id (code $code)") unless defined $handle;

	my $info = Net::EPP::Frame::Command::Info::Contact->new;
	$info->setContact($handle);
	($response, $code, $msg) = send_frame($epp, 'company_info', $info);
	emit(step => 'company_info', code => $code, msg => $msg,
		userType => text_of($response, $DKHM, 'userType'),
		CVR => text_of($response, $DKHM, 'CVR'));
}

sub echo_flow {
	my ($epp) = @_;
	my $name = $cfg->{domain};
	company_contact($epp);
	my $handle = create_contact($epp, 0);
	create_hosts($epp, $cfg->{ns1}, $cfg->{ns2});
	create_domain($epp, $handle);

	my ($response, $code, $msg) = send_frame($epp, 'poll_req',
		Net::EPP::Frame::Command::Poll::Req->new);
	my $msgQ = node($response, EPP_NS, 'msgQ');
	emit(step => 'poll_req', code => $code, msg => $msg,
		qmsg => (defined $msgQ ? text_of($msgQ, EPP_NS, 'msg') : undef),
		risk_assessment => text_of($response, $DKHM, 'risk_assessment'));

	my $ok = $epp->update_domain({name => $name, chg => {authInfo => 'auto'}});
	emit(step => 'update', simple_result($ok));
	my $info = Net::EPP::Frame::Command::Info::Domain->new;
	$info->setDomain($name);
	($response, $code, $msg) = send_frame($epp, 'info', $info);
	emit(step => 'info', code => $code, msg => $msg,
		autoRenew => text_of($response, $DKHM, 'autoRenew'),
		tokens => [map { {op => $_->getAttribute('op'), token => $_->textContent} }
			$response->getElementsByTagNameNS($DKHM, 'authInfo')]);
	logout($epp, 'logout');
}

sub session_flow {
	my ($epp) = @_;

	# --- hello inside the session ----------------------------------------------------------
	emit(step => 'hello', ok => bool($epp->ping));

	# --- domain:check of two names ---------------------------------------------------------
	{
		my $frame = Net::EPP::Frame::Command::Check::Domain->new;
		$frame->addDomain($_) for ($cfg->{domain}, $cfg->{other_domain});
		my ($response, $code, $msg) = send_frame($epp, 'check', $frame);
		my %avail;
		for my $name ($response->getElementsByTagNameNS(DOMAIN_NS, 'name')) {
			my $a = $name->getAttribute('avail');
			$avail{$name->textContent} = bool(defined $a && ($a eq '1' || $a eq 'true'));
		}
		emit(step => 'check', code => $code, msg => $msg, avail => \%avail);
	}

	my $handle = create_contact($epp, 0);
	create_hosts($epp, $cfg->{ns1}, $cfg->{ns2});
	create_domain($epp, $handle);
	poll_once($epp, 'poll_req', 'poll_ack');
	logout($epp, 'logout');
}

sub lifecycle_flow {
	my ($epp) = @_;
	my $name = $cfg->{domain};

	my $handle = create_contact($epp, 1);
	create_hosts($epp, $cfg->{ns1}, $cfg->{ns2}, $cfg->{ns3});
	create_domain($epp, $handle);
	poll_once($epp, 'poll_created', 'poll_created_ack');

	# renew by one year against the expiry date info domain shows (the date part of exDate)
	my $info = domain_info($epp, 'info', $name);
	my $ok = $epp->renew_domain({name => $name, cur_exp_date => substr($info->{exDate}, 0, 10),
		period => 1});
	emit(step => 'renew', simple_result($ok));

	# one update: add ns3, remove ns2, ask for a transfer token ("auto" in chg/authInfo/pw)
	$ok = $epp->update_domain({name => $name, add => {ns => [$cfg->{ns3}]},
		rem => {ns => [$cfg->{ns2}]}, chg => {authInfo => 'auto'}});
	emit(step => 'update', simple_result($ok));
	my $updated = domain_info($epp, 'info_updated', $name);
	my ($token) = map { $_->{token} } grep { $_->{op} eq 'transfer' }
		@{$updated->{dkhm_authInfo}};

	# a host under the domain: create with glue, add an address, read it back, delete it
	$ok = $epp->create_host({name => $cfg->{subhost},
		addrs => [{ip => $cfg->{glue_v4}, version => 'v4'}]});
	emit(step => 'subhost_create', simple_result($ok));
	$ok = $epp->update_host({name => $cfg->{subhost},
		add => {addrs => [{ip => $cfg->{glue_v6}, version => 'v6'}]}});
	emit(step => 'subhost_update', simple_result($ok));
	my $host = $epp->host_info($cfg->{subhost});
	emit(step => 'subhost_info', code => ($Net::EPP::Simple::Code // 0) + 0,
		addrs => (ref($host) eq 'HASH' ? $host->{addrs} // [] : []));
	$ok = $epp->delete_host($cfg->{subhost});
	emit(step => 'subhost_delete', simple_result($ok));

	# the registrant's voice number, read back with contact_info
	$ok = $epp->update_contact({id => $handle, chg => {voice => $cfg->{new_voice}}});
	emit(step => 'contact_update', simple_result($ok));
	my $contact = $epp->contact_info($handle);
	emit(step => 'contact_info', code => ($Net::EPP::Simple::Code // 0) + 0,
		voice => (ref($contact) eq 'HASH' ? $contact->{voice} : undef));

	# the second registrar (its own session) pulls the domain with the token
	my $gainer = open_session($cfg->{gaining_user}, $cfg->{gaining_pass}, 'login_gaining');
	emit(step => 'login_gaining', code => $Net::EPP::Simple::Code + 0);
	{
		# Simple's domain_transfer_request() always adds <domain:period> (0 when none is
		# given); .dk transfers take none, so the frame class is used directly
		my $frame = Net::EPP::Frame::Command::Transfer::Domain->new;
		$frame->setOp('request');
		$frame->setDomain($name);
		$frame->setAuthInfo($token // '');
		my ($response, $code, $msg) = send_frame($gainer, 'transfer', $frame);
		my %trn;
		my $trnData = node($response, DOMAIN_NS, 'trnData');
		if (defined $trnData) {
			for my $child ($trnData->childNodes) {
				next unless $child->nodeType == XML::LibXML::XML_ELEMENT_NODE;
				$trn{$child->localName} = $child->textContent;
			}
		}
		emit(step => 'transfer', code => $code, msg => $msg, trnData => \%trn);
	}
	poll_once($gainer, 'poll_gaining', 'poll_gaining_ack');
	poll_once($epp, 'poll_losing', 'poll_losing_ack');
	logout($epp, 'logout');

	# the new sponsor deletes it: pending deletion (redemption period)
	$ok = $gainer->delete_domain($name);
	emit(step => 'delete', simple_result($ok));
	domain_info($gainer, 'info_deleted', $name);
	logout($gainer, 'logout_gaining');
}

my $line = <STDIN>;
fatal('config', 'no configuration line on stdin') unless defined $line;
$cfg = $JSON->decode($line);
$DKHM = $cfg->{dkhm_ns} // DKHM_NS;
my $flow = $cfg->{flow} // 'session';

my $epp = open_session($cfg->{user}, $cfg->{pass}, 'login');
my $greeting = $epp->greeting;
emit(
	step    => 'greeting',
	svID    => text_of($greeting, EPP_NS, 'svID'),
	extURIs => [map { $_->textContent } $greeting->getElementsByTagNameNS(EPP_NS, 'extURI')],
);
emit(step => 'login', code => $Net::EPP::Simple::Code + 0, msg => $Net::EPP::Simple::Message);

if ($flow eq 'lifecycle') {
	lifecycle_flow($epp);
} elsif ($flow eq 'echo') {
	echo_flow($epp);
} else {
	session_flow($epp);
}

emit(step => 'done');
exit 0;
