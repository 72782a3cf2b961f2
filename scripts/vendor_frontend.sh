#!/usr/bin/env bash
# Refresh the precompiled GOV.UK Frontend and MOJ Frontend files in static/vendor/.
#
#   bash scripts/vendor_frontend.sh
#
# Node.js/npm is needed only to run this script, never at run time: the output is
# plain CSS, JS and images, committed to the repository. See docs/frontend.md.
# To upgrade, change the two versions below, run the script and review the diff.
set -euo pipefail

GOVUK_FRONTEND_VERSION="6.6.0"
MOJ_FRONTEND_VERSION="11.1.0"

# Files deliberately not vendored. The gov.uk brand (crown, crest, GOV.UK icons,
# favicons, Open Graph image) and the GDS Transport font are reserved for services
# on gov.uk. CSS rules that use these images are dropped by the post-processor.
GOVUK_EXCLUDED_IMAGES=(
    "govuk-crest.svg"
    "govuk-icon-*.png"
    "govuk-icon-mask.svg"
    "govuk-opengraph-image.png"
    "favicon.ico"
    "favicon.svg"
)
MOJ_EXCLUDED_IMAGES=(
    "govuk-logotype-crown.png"
)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor_dir="$repo_root/static/vendor"
govuk_out="$vendor_dir/govuk-frontend"
moj_out="$vendor_dir/moj-frontend"
python="${PYTHON:-python3}"

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm not found. Node.js is needed (only) to refresh the vendored files." >&2
    exit 1
fi

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

echo "Installing govuk-frontend@$GOVUK_FRONTEND_VERSION and" \
    "@ministryofjustice/frontend@$MOJ_FRONTEND_VERSION into $work_dir"
npm install --prefix "$work_dir" --no-audit --no-fund --ignore-scripts --save-exact \
    "govuk-frontend@$GOVUK_FRONTEND_VERSION" \
    "@ministryofjustice/frontend@$MOJ_FRONTEND_VERSION"

govuk_pkg="$work_dir/node_modules/govuk-frontend"
moj_pkg="$work_dir/node_modules/@ministryofjustice/frontend"

package_version() {
    "$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$1/package.json"
}
for check in "$govuk_pkg:$GOVUK_FRONTEND_VERSION" "$moj_pkg:$MOJ_FRONTEND_VERSION"; do
    pkg="${check%:*}"
    want="${check##*:}"
    got="$(package_version "$pkg")"
    if [[ "$got" != "$want" ]]; then
        echo "error: $pkg is version $got, expected $want" >&2
        exit 1
    fi
done

# copy_images SRC DEST EXCLUDED_PATTERN... : copy the image files in SRC to DEST,
# skipping names that match one of the patterns.
copy_images() {
    local src="$1" dest="$2"
    shift 2
    local path name pattern
    for path in "$src"/*; do
        name="$(basename "$path")"
        if [[ -d "$path" ]]; then
            echo "error: unexpected subfolder $path; update scripts/vendor_frontend.sh" >&2
            exit 1
        fi
        [[ -f "$path" ]] || continue
        for pattern in "$@"; do
            # shellcheck disable=SC2053  # glob match on purpose
            if [[ "$name" == $pattern ]]; then
                echo "  not vendored: $name"
                continue 2
            fi
        done
        mkdir -p "$dest"
        cp "$path" "$dest/$name"
    done
}

# copy_licence PKG DEST_DIR FALLBACK_FUNCTION : copy the package's licence file.
# The npm tarballs of these two packages ship no LICENSE file (package.json says
# "MIT"), so fall back to the MIT text from the package's GitHub repository.
copy_licence() {
    local pkg="$1" dest="$2" fallback="$3" candidate
    for candidate in LICENSE LICENSE.txt LICENSE.md LICENCE LICENCE.txt LICENCE.md; do
        if [[ -f "$pkg/$candidate" ]]; then
            cp "$pkg/$candidate" "$dest/$candidate"
            return
        fi
    done
    "$fallback" >"$dest/LICENSE.txt"
}

mit_licence_body() {
    cat <<'EOF'

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF
}

govuk_licence() {
    printf '%s\n' \
        "GOV.UK Frontend $GOVUK_FRONTEND_VERSION - https://github.com/alphagov/govuk-frontend" \
        "(LICENSE.txt of the GitHub repository; the npm package ships none.)" \
        "" \
        "The MIT License (MIT)" \
        "" \
        "Copyright (C) 2017 Crown Copyright (Government Digital Service)"
    mit_licence_body
}

moj_licence() {
    printf '%s\n' \
        "MOJ Frontend $MOJ_FRONTEND_VERSION - https://github.com/ministryofjustice/moj-frontend" \
        "(LICENSE of the GitHub repository; the npm package ships none.)" \
        "" \
        "MIT License" \
        "" \
        "Copyright (c) 2019 Ministry of Justice"
    mit_licence_body
}

echo "Refreshing $vendor_dir"
rm -rf "$govuk_out" "$moj_out"
mkdir -p "$govuk_out" "$moj_out"

# GOV.UK Frontend. No fonts: GDS Transport is for gov.uk only.
cp "$govuk_pkg/dist/govuk/govuk-frontend.min.css" "$govuk_out/"
cp "$govuk_pkg/dist/govuk/govuk-frontend.min.js" "$govuk_out/"  # an ES module
copy_images "$govuk_pkg/dist/govuk/assets/images" "$govuk_out/assets/images" \
    "${GOVUK_EXCLUDED_IMAGES[@]}"
copy_licence "$govuk_pkg" "$govuk_out" govuk_licence

# MOJ Frontend.
cp "$moj_pkg/moj/moj-frontend.min.css" "$moj_out/"
cp "$moj_pkg/moj/moj-frontend.min.js" "$moj_out/"  # an ES module
copy_images "$moj_pkg/moj/assets/images" "$moj_out/assets/images" "${MOJ_EXCLUDED_IMAGES[@]}"
copy_licence "$moj_pkg" "$moj_out" moj_licence

# Fonts out, url(/assets/...) made relative, brand-image rules dropped, source maps
# stripped. Fails if anything would break collectstatic (ManifestStaticFilesStorage).
exclude_args=()
for pattern in "${GOVUK_EXCLUDED_IMAGES[@]}" "${MOJ_EXCLUDED_IMAGES[@]}"; do
    exclude_args+=(--exclude "$pattern")
done
echo "Post-processing"
"$python" "$repo_root/scripts/postprocess_vendor_css.py" "${exclude_args[@]}" \
    "$govuk_out/govuk-frontend.min.css" "$govuk_out/govuk-frontend.min.js" \
    "$moj_out/moj-frontend.min.css" "$moj_out/moj-frontend.min.js"

cat >"$vendor_dir/VERSIONS.txt" <<EOF
# Written by scripts/vendor_frontend.sh - do not edit by hand. See docs/frontend.md.
govuk-frontend $GOVUK_FRONTEND_VERSION
@ministryofjustice/frontend $MOJ_FRONTEND_VERSION
vendored on $(date -u +%Y-%m-%d)
EOF

echo "Done. Vendored files:"
(cd "$repo_root" && find static/vendor -type f | LC_ALL=C sort)
