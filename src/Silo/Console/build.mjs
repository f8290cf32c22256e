// Bundles the console into dist/, which the silo build copies next to the silo and serves at /console/.
// Everything the page needs is in the bundle: it works without internet.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const out = 'dist';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/main.js'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outfile: `${out}/app.js`,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) {
  cpSync(`src/${file}`, `${out}/${file}`);
}
