# tests/tls-lib.sh: what the TLS tests share (sourced after lib.sh): a
# test CA and certificates made with openssl in $TMP/pki, and
# openssl s_server started on a free port.

need_cmd openssl
"$SOCKKIT" connect --tls --help >/dev/null 2>&1 ||
    skip_all "this sockkit was built without OpenSSL (--without-openssl)"
PKI=$TMP/pki
mkdir -p "$PKI"

# make_ca NAME: a self-signed CA, $PKI/NAME.pem and NAME.key.
make_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$PKI/$1.key" -out "$PKI/$1.pem" -days 30 \
	    -subj "/CN=sockkit test $1" -addext basicConstraints=critical,CA:TRUE \
	    2>/dev/null
}

# make_cert NAME CA DAYS SAN...: a certificate for CN=localhost with the
# subjectAltNames SAN (DNS:localhost, IP:127.0.0.1...) signed by CA, valid
# DAYS days from now (-1: expired yesterday); CA "self": self-signed.
make_cert() {
	_mc_name=$1 _mc_ca=$2 _mc_days=$3; shift 3
	printf 'subjectAltName=%s\n' "$(IFS=,; echo "$*")" >"$PKI/$_mc_name.ext"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$PKI/$_mc_name.key" -out "$PKI/$_mc_name.csr" \
	    -subj /CN=localhost 2>/dev/null || return 1
	if [ "$_mc_ca" = self ]; then
		openssl x509 -req -in "$PKI/$_mc_name.csr" \
		    -key "$PKI/$_mc_name.key" -days "$_mc_days" \
		    -extfile "$PKI/$_mc_name.ext" -out "$PKI/$_mc_name.pem"
	else
		openssl x509 -req -in "$PKI/$_mc_name.csr" -CA "$PKI/$_mc_ca.pem" \
		    -CAkey "$PKI/$_mc_ca.key" -CAcreateserial -days "$_mc_days" \
		    -extfile "$PKI/$_mc_name.ext" -out "$PKI/$_mc_name.pem"
	fi 2>/dev/null
}

# s_server NAME ARGS...: openssl s_server on a free port of 127.0.0.1
# with the certificate and key NAME, serving one client; sets $port and
# $spid (stdout in $TMP/s_server.out).
s_server() {
	_ss_name=$1; shift
	port=$(free_port)
	bg openssl s_server -quiet -naccept 1 -accept "127.0.0.1:$port" \
	    -cert "$PKI/$_ss_name.pem" -key "$PKI/$_ss_name.key" "$@" \
	    >"$TMP/s_server.out" 2>"$TMP/s_server.err"
	spid=$!
	wait_listening "$port"
}
