#!/usr/bin/env bash
# Builds the browser page: web/dist/ with index.html, the ES module sigdoctor.js +
# sigdoctor_bg.wasm (for bundlers and other pages), and the files index.html itself loads:
# sigdoctor-classic.js (the same bindings as a classic script: browsers refuse module scripts
# from file://) and sigdoctor-wasm.js (the module embedded, since the page may not fetch).
#
# Needs: rustup target add wasm32-unknown-unknown; cargo install wasm-bindgen-cli --version V
# with V the wasm-bindgen version in Cargo.lock (printed below when it is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }') || true
if [ "$have" != "$want" ]; then
    echo "web/build.sh: needs wasm-bindgen $want (found: ${have:-none}):" >&2
    echo "  rustup target add wasm32-unknown-unknown" >&2
    echo "  cargo install wasm-bindgen-cli --version $want" >&2
    exit 2
fi

cargo build -p sigdoctor-web --target wasm32-unknown-unknown --profile wasm
wasm=target/wasm32-unknown-unknown/wasm/sigdoctor_web.wasm
dist=web/dist
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

wasm-bindgen --target web --no-typescript --out-dir "$tmp/esm" --out-name sigdoctor "$wasm"
wasm-bindgen --target no-modules --no-typescript --out-dir "$tmp/classic" --out-name sigdoctor "$wasm"

rm -rf "$dist"
mkdir -p "$dist"
cp "$tmp/esm/sigdoctor.js" "$tmp/esm/sigdoctor_bg.wasm" "$dist/"
cp "$tmp/classic/sigdoctor.js" "$dist/sigdoctor-classic.js"
{
    printf '// sigdoctor_bg.wasm, base64: the page instantiates it without fetching.\n'
    printf 'var SIGDOCTOR_WASM = "'
    base64 -w0 "$tmp/classic/sigdoctor_bg.wasm"
    printf '";\n'
} >"$dist/sigdoctor-wasm.js"
cp web/index.html web/app.js web/style.css "$dist/"

raw=$(wc -c <"$dist/sigdoctor_bg.wasm")
gz=$(gzip -9 -c "$dist/sigdoctor_bg.wasm" | wc -c)
echo "web/build.sh: $dist ready; sigdoctor_bg.wasm $raw bytes, $gz gzipped"
