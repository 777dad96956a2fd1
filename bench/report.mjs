// Writes bench/results.json, bench/results.md and bench/ratios.svg from the collected results.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { FIGURES } from './figures.mjs';

const PEER_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1'];

function format(value, figure) {
  if (value == null) return 'n/a';
  const v = value / (figure.scale ?? 1);
  if (figure.unit === 'calls/s') return v >= 1e5 ? `${(v / 1e6).toFixed(2)} M` : `${Math.round(v).toLocaleString('en-US')}`;
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function ratioText(ratio) {
  if (ratio == null) return 'n/a';
  return ratio >= 10 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(2)}×`;
}

/** ours/peer of the medians; null when either is missing. */
export function ratio(results, figure, peer, ours) {
  const a = results.summary[ours]?.[figure.key]?.median;
  const b = results.summary[peer]?.[figure.key]?.median;
  return a != null && b ? a / b : null;
}

/** Whether the two interquartile ranges overlap: the medians' order is then not a finding. */
export function overlaps(results, figure, peer, ours) {
  const a = results.summary[ours]?.[figure.key];
  const b = results.summary[peer]?.[figure.key];
  return !figure.static && a && b && a.q1 <= b.q3 && b.q1 <= a.q3;
}

function markdown(results) {
  const { meta, libraries } = results;
  const ours = libraries.find((l) => l.ours).name;
  const peers = libraries.filter((l) => !l.ours).map((l) => l.name);
  const lines = [
    '# spa-oauth vs peers: benchmark results',
    '',
    `- date: ${meta.date}`,
    `- machine: ${meta.machine.nproc} CPUs (${meta.machine.cpu}), ${meta.machine.memoryGB} GB RAM, ${meta.machine.os}; `
      + `load average ${meta.machine.loadStart.map((l) => l.toFixed(2)).join(' / ')} at start, `
      + `${meta.machine.loadEnd.map((l) => l.toFixed(2)).join(' / ')} at end (the machine is shared: other work ran alongside)`,
    `- browser: ${meta.chromium} (headless, /usr/bin/chromium via playwright-core ${meta.versions['playwright-core']}); node ${meta.node}`,
    `- packages: ${libraries.map((l) => `${l.npm ?? l.name} ${meta.versions[l.name]}`).join(', ')}; `
      + `esbuild ${meta.versions.esbuild}; OP oidc-provider ${meta.versions['oidc-provider']}`,
    `- spa-oauth built from ${meta.spaOauthSource}`,
    `- command: \`${meta.command}\``,
    `- ${meta.runs} runs per library (fresh browser context each, libraries interleaved), hot path: `
      + `${meta.rounds} rounds per run after warm-up, ≥ ${meta.calls} calls and ≥ ${meta.roundMs} ms per round; `
      + `total run time ${(meta.durationMs / 1000).toFixed(0)} s`,
    '- the pages carry each library\'s start-up hints: for spa-oauth the README\'s early start of the wasm (downloaded and compiled from the <head>) '
      + '(peers ship one script and have none); b‴ loads that page alone and b⁗ the same page without them, '
      + 'each cold in a fresh context, one after the other; for spa-oauth both also give create()\'s two steps',
    '- b2, the returning visitor: per run and library, in a second Chromium with a profile on disk, the page under '
      + 'a URL of its own whose scripts and wasm are cacheable (`max-age`), loaded once in a tab that is then closed, '
      + 'and measured on the second load, in a new tab (bundle and wasm checked to come from the HTTP cache)',
    '- e2: a second API (RFC 8707 resource of the OP, JWT access token): every login asks consent for its scope and '
      + 'names its resource; its first call mints the token (refresh token grant), then the rounds as for e',
    '',
    'Each cell: median [interquartile range] over the runs (the hot path: over all rounds of all runs); '
      + 'min–max and every value are in results.json. '
      + `Ratio = ${ours} median ÷ peer median: for "lower is better" figures below 1 means ${ours} is smaller/faster, `
      + 'for calls/s above 1 means it is faster. **≈** marks ratios whose two interquartile ranges overlap: '
      + 'on this shared machine, that difference is within the noise.',
    '',
    `| figure | unit | better | ${libraries.map((l) => l.name).join(' | ')} | ${peers.map((p) => `${ours}/${p}`).join(' | ')} |`,
    `| --- | --- | --- | ${libraries.map(() => '---:').join(' | ')} | ${peers.map(() => '---:').join(' | ')} |`,
  ];
  for (const figure of FIGURES) {
    const cells = libraries.map(({ name }) => {
      const s = results.summary[name]?.[figure.key];
      if (!s) return 'n/a';
      if (figure.static || s.q1 === s.q3) return format(s.median, figure);
      return `${format(s.median, figure)} [${format(s.q1, figure)}–${format(s.q3, figure)}]`;
    });
    const ratios = peers.map((peer) => {
      const text = ratioText(ratio(results, figure, peer, ours));
      return overlaps(results, figure, peer, ours) ? `≈ ${text}` : text;
    });
    lines.push(`| ${figure.label} | ${figure.unit} | ${figure.better} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  const notApplicable = libraries.flatMap(({ name, notApplicable: reasons = {} }) => FIGURES
    .filter((figure) => reasons[figure.key])
    .map((figure) => `- ${figure.label.split('.')[0]}, ${name}: n/a, ${reasons[figure.key]}.`));
  if (notApplicable.length) lines.push('', ...notApplicable);
  lines.push('', '## Shipped files', '', '| library | file | raw B | gzip -9 B | brotli B |', '| --- | --- | ---: | ---: | ---: |');
  for (const { name } of libraries) {
    for (const f of results.sizes[name].files) lines.push(`| ${name} | ${f.file} | ${f.raw} | ${f.gzip} | ${f.brotli} |`);
  }
  lines.push('', '## Requests the library sends to the OP (navigations excluded)', '',
    '| library | c. login, before the redirect | d. callback page | e2. second API: its first call and hot path |',
    '| --- | --- | --- | --- |');
  for (const { name, notApplicable: reasons = {} } of libraries) {
    const seen = results.network[name];
    const show = (list) => (list == null ? 'n/a' : list.length ? list.join(', ') : 'none');
    const api = reasons.apiHotCallsPerSecond ? 'n/a' : show(seen?.api);
    lines.push(`| ${name} | ${show(seen?.login)} | ${show(seen?.callback)} | ${api} |`);
  }
  const failures = Object.entries(results.failures).filter(([, list]) => list.length);
  if (failures.length) {
    lines.push('', '## Failed runs', '');
    for (const [name, list] of failures) for (const f of list) lines.push(`- ${name}, run ${f.run}: ${f.error}`);
  }
  lines.push('', 'Definitions, adapters and caveats: bench/README.md. Raw per-run values: bench/results.json.', '');
  return lines.join('\n');
}

/** 13×, 1.20×, 1/16 (below 0.1: the peer's cost is that many times ours). */
function costText(cost) {
  if (cost < 0.1) return `1/${(1 / cost).toFixed(0)}`;
  return `${cost >= 10 ? cost.toFixed(0) : cost.toFixed(2)}×`;
}

/** A diverging bar per (figure, peer) on a log scale around 1: ours ÷ peer, as a cost. */
function svg(results) {
  const { libraries } = results;
  const ours = libraries.find((l) => l.ours).name;
  const peers = libraries.filter((l) => !l.ours).map((l) => l.name);
  const rows = [];
  for (const figure of FIGURES) {
    const bars = peers.map((peer) => {
      const r = ratio(results, figure, peer, ours);
      return r && { peer, cost: figure.better === 'higher' ? 1 / r : r, noise: overlaps(results, figure, peer, ours) };
    }).filter(Boolean);
    if (bars.length) rows.push({ figure, bars });
  }
  const logs = rows.flatMap((r) => r.bars.map((b) => Math.log10(b.cost)));
  const lo = Math.min(-1, Math.floor(Math.min(...logs)));
  const hi = Math.max(1, Math.ceil(Math.max(...logs)));
  const W = 980; const left = 380; const right = W - 30; const top = 70; const bar = 12; const gap = 14;
  const x = (log) => left + ((log - lo) / (hi - lo)) * (right - left);
  const height = top + rows.reduce((h, r) => h + r.bars.length * bar + gap, 0) + 60;
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${height}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(ours)} ÷ peer, as a cost (log scale): left of 1 = ${esc(ours)} cheaper, right = costlier</text>`,
    `<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">medians; the hot path as time per call (peer calls/s ÷ ours); pale bars: interquartile ranges overlap (within the noise)</text>`,
  ];
  for (let p = lo; p <= hi; p += 1) {
    const label = p >= 0 ? `${10 ** p}×` : `1/${10 ** -p}`;
    out.push(`<line x1="${x(p)}" y1="${top - 8}" x2="${x(p)}" y2="${height - 50}" stroke="${p === 0 ? '#000' : '#ddd'}"/>`,
      `<text x="${x(p)}" y="${height - 34}" text-anchor="middle" fill="#555">${label}</text>`);
  }
  let y = top;
  for (const { figure, bars } of rows) {
    const mid = y + (bars.length * bar) / 2;
    out.push(`<text x="${left - 10}" y="${mid + 4}" text-anchor="end">${esc(figure.label)}</text>`);
    for (const { peer, cost, noise } of bars) {
      const x0 = x(0); const x1 = x(Math.log10(cost));
      const colour = PEER_COLOURS[peers.indexOf(peer)];
      out.push(`<rect x="${Math.min(x0, x1).toFixed(1)}" y="${y}" width="${Math.max(Math.abs(x1 - x0), 1).toFixed(1)}" height="${bar - 2}" fill="${colour}"${noise ? ' fill-opacity="0.35"' : ''}><title>${esc(`${figure.label}: ${ours}/${peer} = ${cost.toPrecision(3)}`)}</title></rect>`);
      const text = `${costText(cost)}${noise ? ' ≈' : ''}`;
      out.push(`<text x="${(x1 + (x1 >= x0 ? 4 : -4)).toFixed(1)}" y="${y + bar - 3}" font-size="10" text-anchor="${x1 >= x0 ? 'start' : 'end'}">${text}</text>`);
      y += bar;
    }
    y += gap;
  }
  let lx = left;
  for (const [i, peer] of peers.entries()) {
    out.push(`<rect x="${lx}" y="${height - 22}" width="12" height="12" fill="${PEER_COLOURS[i]}"/>`,
      `<text x="${lx + 16}" y="${height - 12}">vs ${esc(peer)}</text>`);
    lx += 170;
  }
  out.push('</svg>', '');
  return out.join('\n');
}

export async function writeReport(results, dir) {
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(dir, 'results.md'), markdown(results));
  await writeFile(join(dir, 'ratios.svg'), svg(results));
}
