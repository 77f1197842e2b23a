import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromiumAvailable, missingChromiumMessage, openRenderer, renderFigures } from '../../lib/figures/render';
import { reliabilityDiagram } from '../../lib/figures/reliability';
import { meanBandChart } from '../../lib/figures/lines';
import { figureHtml } from '../../lib/figures/html';
import { stableSvgIds } from '../../lib/figures/svg';

const skipMsg = 'chromium missing (/usr/bin/chromium): sudo apt-get install -y chromium, or scripts/setup-system.sh';

test('missing Chromium: clear error naming the path and the apt command, nothing launched', async () => {
  await assert.rejects(openRenderer({ chromiumPath: '/nonexistent/chromium' }), (err: Error) => {
    assert.match(err.message, /Chromium not found at \/nonexistent\/chromium/);
    assert.match(err.message, /apt-get install -y chromium/);
    return true;
  });
  assert.match(missingChromiumMessage('/x'), /GEM_CHROMIUM/);
});

test('renderFigures validates every item before starting a browser', async () => {
  const spec = meanBandChart({ x: [1], series: [{ name: 'a', values: [[1]] }] });
  await assert.rejects(renderFigures([{ name: 'a/b', spec, outDir: os.tmpdir() }], { chromiumPath: '/nonexistent' }), /items\[0\]\.name = "a\/b"/);
  await assert.rejects(renderFigures([{ name: 'a', spec, outDir: '/tmp/x' }, { name: 'a', spec, outDir: '/tmp/x' }], { chromiumPath: '/nonexistent' }), /writes .* twice/);
  await assert.rejects(renderFigures([{ name: 'a', spec, outDir: '/tmp/x', width: 10 }], { chromiumPath: '/nonexistent' }), /width = 10/);
});

test('standalone HTML inlines plotly.js (no CDN) and embeds the figure safely', () => {
  const spec = meanBandChart({ title: '</script><b>', x: [1], series: [{ name: 'a', values: [[1]] }] });
  const html = figureHtml(spec, { title: 'fig' });
  assert.ok(html.length > 5_000_000, 'plotly.js inlined');
  assert.ok(!/<script[^>]+src=/.test(html), 'no external script');
  assert.ok(!/cdn\.plot\.ly/.test(html.slice(-5000)));
  // the only closing script tags are the two we wrote
  assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
  assert.match(html, /Plotly\.newPlot\('figure', /);
});

test('stableSvgIds: random ids become content-derived names in ids and references; attributes sorted', () => {
  const svg = (uid: string, body: string, swap = false) =>
    `<svg><defs id="defs-${uid}"><clipPath id="clip${uid}xyplot"></clipPath></defs><g clip-path="url(#clip${uid}xyplot)"><use xlink:href="#legend${uid}"/>` +
    `<path ${swap ? `class="c" style="fill: url('#p${uid}-t1')"` : `style="fill: url('#p${uid}-t1')" class="c"`}/><pattern id="p${uid}-t1"/><text>${body} 6c5be1</text></g><g id="legend${uid}"/></svg>`;
  const a = stableSvgIds(svg('6c5be1', 'x'));
  assert.equal(a, stableSvgIds(svg('0f3a9d', 'x', true)), 'same figure, same bytes whatever ids and attribute order plotly drew');
  assert.match(a, /<text>x 6c5be1<\/text>/, 'text content is not touched');
  assert.doesNotMatch(a.replace(/<text>.*<\/text>/, ''), /6c5be1/);
  const h = /id="(g[0-9a-f]{6})-0"/.exec(a)?.[1];
  assert.ok(h, a);
  for (const ref of [`url(#${h}-1)`, `href="#${h}-3"`, `url('#${h}-2')`, `id="${h}-3"`]) assert.ok(a.includes(ref), `${ref} in ${a}`);
  assert.notEqual(/id="(g[0-9a-f]{6})-0"/.exec(stableSvgIds(svg('6c5be1', 'y')))?.[1], h, 'different figures, different ids');
  assert.equal(stableSvgIds('<svg></svg>'), '<svg></svg>');
});

test('HTML with a shared plotly.js: a relative script src, the figure still embedded', () => {
  const spec = meanBandChart({ x: [1], series: [{ name: 'a', values: [[1]] }] });
  const html = figureHtml(spec, { title: 'fig', plotlySrc: '../plotly.min.js' });
  assert.ok(html.length < 10_000, 'plotly.js not inlined');
  assert.match(html, /<script src="\.\.\/plotly\.min\.js"><\/script>/);
  assert.match(html, /Plotly\.newPlot\('figure', /);
});

test('one browser renders a batch: valid SVG, PNG (2x) and HTML written atomically', { timeout: 120000 }, async (t) => {
  if (!chromiumAvailable()) {
    t.skip(skipMsg);
    return;
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-render-test-'));
  try {
    const rel = reliabilityDiagram({ bins: 5, binCounts: [0, 2, 4, 8, 16], binAccuracy: [null, 0.5, 0.5, 0.75, 0.875], binConfidence: [null, 0.3, 0.5, 0.7, 0.9], ece: 0.05, note: 'data: test' });
    const band = meanBandChart({ x: [1, 2], series: [{ name: 'a', values: [[1, 2], [2, 3]] }] });
    const done: string[] = [];
    const files = await renderFigures(
      [{ name: 'rel', spec: rel, outDir: out, width: 600, height: 400 }, { name: 'band', spec: band, outDir: out }],
      { onFigure: (_d, _n, name) => done.push(name) },
    );
    assert.deepEqual(done, ['rel', 'band']);
    assert.equal(files.length, 2);
    const svg = fs.readFileSync(files[0].svg, 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /width="600"/);
    assert.match(svg, /ECE = 5\.00 %/);
    const png = fs.readFileSync(files[0].png);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 1200); // IHDR width = 600 px * scale 2
    assert.equal(png.readUInt32BE(20), 800);
    assert.ok(png.length > 10000, 'not a blank image');
    const html = fs.readFileSync(files[1].html as string, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.deepEqual(fs.readdirSync(out).sort(), ['band.html', 'band.png', 'band.svg', 'rel.html', 'rel.png', 'rel.svg']); // no .tmp- leftovers
    // Rendering again gives the same bytes (plotly's random ids are replaced); HTML can share one plotly.js.
    const shared = path.join(out, 'plotly.min.js');
    const again = await renderFigures([{ name: 'rel', spec: rel, outDir: path.join(out, 'again'), width: 600, height: 400 }], { sharedPlotly: shared });
    assert.equal(fs.readFileSync(again[0].svg, 'utf8'), svg);
    assert.ok(fs.readFileSync(again[0].png).equals(png), 'PNG bytes differ between two renders');
    assert.match(fs.readFileSync(again[0].html as string, 'utf8'), /<script src="\.\.\/plotly\.min\.js">/);
    assert.ok(fs.statSync(shared).size > 4_000_000);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('renderer session is reusable and closes cleanly', { timeout: 60000 }, async (t) => {
  if (!chromiumAvailable()) {
    t.skip(skipMsg);
    return;
  }
  const r = await openRenderer();
  try {
    const spec = meanBandChart({ x: [1, 2], series: [{ name: 'a', values: [[1, 2]] }] });
    const [a, b] = await Promise.all([r.png(spec, { width: 300, height: 200, scale: 1 }), r.svg(spec, { width: 300, height: 200 })]);
    assert.equal(a.readUInt32BE(16), 300);
    assert.match(b, /^<svg/);
  } finally {
    await r.close();
  }
  await assert.rejects(r.png(meanBandChart({ x: [1], series: [{ name: 'a', values: [[1]] }] })), /renderer is closed/);
});
