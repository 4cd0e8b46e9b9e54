# .ci/lib.sh: shared by the CI scripts that build out of tree.

# ci_tree SRC DIR: print the path of a source tree that can be configured
# out of tree.  Automake refuses a VPATH build from a tree configured in
# place (as CI's main build is), so such a tree is copied with "make
# distdir" into DIR; an unconfigured one is used as it is.
ci_tree() {
	if [ -f "$1/config.status" ]; then
		make -s -C "$1" distdir distdir="$2" >"$2.log" 2>&1 ||
		    { cat "$2.log" >&2; return 1; }
		echo "$2"
		return 0
	fi
	[ -x "$1/configure" ] || (cd "$1" && autoreconf -fi) >&2 || return 1
	echo "$1"
}
