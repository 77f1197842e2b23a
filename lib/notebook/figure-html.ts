/**
 * The text/html part of a figure display: an interactive plotly figure in the classic notebook and in
 * JupyterLab without plotly's extension, for a trusted notebook, and the static PNG where scripts do not
 * run (untrusted JupyterLab, GitHub, nbviewer keep the <img> of the sanitised HTML).
 *
 * plotly.js travels once per kernel session: the first figure's HTML carries the bundle gzipped and
 * base64-encoded (~2 MB instead of 11 MB), decompressed in the page with DecompressionStream and run as
 * a script that defines window.Plotly. Every figure's script waits for window.Plotly and for its own
 * <div> (the classic notebook runs output scripts before or after inserting the nodes, depending on
 * the path), then replaces the <img> with the plot. Ids are derived from the figure's content, so
 * re-executing a notebook writes the same bytes.
 */
import { createHash } from 'node:crypto';
import { plotlyGzipBase64 } from '../figures/plotly-source';
import { scriptJson } from '../figures/html';

let loaderSent = false;
const seen = new Map<string, number>();

/** Forgets what this kernel session has sent (next figure carries plotly.js again; for tests). */
export function resetFigureHtmlSession(): void {
  loaderSent = false;
  seen.clear();
}

function loaderScript(): string {
  const { base64, sha } = plotlyGzipBase64();
  // require.js (classic notebook) must not capture the bundle as an anonymous AMD module: hide `define`
  // while the script runs (the bundle then sets window.Plotly itself).
  return [
    `<script data-gem-plotly="${sha}">(function(){var w=window;if(w.Plotly||w.__gemPlotlyLoading)return;w.__gemPlotlyLoading=true;`,
    `var b=atob("${base64}");var u=new Uint8Array(b.length);for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);`,
    `new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function(src){`,
    `var d=w.define;w.define=undefined;try{var s=document.createElement("script");s.text=src;document.head.appendChild(s);}finally{w.define=d;}`,
    `}).catch(function(e){w.__gemPlotlyLoading=false;console.error("gem-snn: could not load plotly.js",e);});})();</script>`,
  ].join('');
}

/**
 * HTML showing `png` (base64) at width x height CSS px, replaced by the interactive figure when scripts
 * run. `figure` is the plotly JSON ({ data, layout, config }). The first call of a kernel session also
 * embeds plotly.js.
 */
export function figureHtmlBundle(figure: { data: unknown[]; layout: Record<string, unknown>; config: Record<string, unknown> }, png: string | null, width: number, height: number, alt: string): string {
  const hash = createHash('sha256').update(JSON.stringify(figure)).digest('hex').slice(0, 12);
  const n = (seen.get(hash) ?? 0) + 1;
  seen.set(hash, n);
  const id = `gem-fig-${hash}${n > 1 ? `-${n}` : ''}`;
  const img = png ? `<img src="data:image/png;base64,${png}" width="${width}" height="${height}" alt="${alt.replace(/[&"<>]/g, '')}">` : '';
  const draw = [
    `<script>(function(){var id="${id}",fig=${scriptJson(figure)},n=0;`,
    'function go(){var el=document.getElementById(id);',
    'if(!el||!window.Plotly){if(++n<600)setTimeout(go,100);return;}',
    'el.innerHTML="";window.Plotly.newPlot(el,fig.data,fig.layout,fig.config);}go();})();</script>',
  ].join('');
  const loader = loaderSent ? '' : loaderScript();
  loaderSent = true;
  return `<div id="${id}" class="gem-figure" style="max-width:100%;min-height:${height}px">${img}</div>${loader}${draw}`;
}
