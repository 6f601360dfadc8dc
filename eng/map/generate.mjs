// Generates the admin console's world map: src/Alerts.Infrastructure/Web/Console/world.svg and world-projection.json.
//  - world.svg: one <path class="country" id="c-XX" data-code="XX"> per country (XX: ISO 3166-1 alpha-2), in the Equal
//    Earth projection, 1000 units wide; plain SVG for the console, with no build step and nothing fetched from a CDN.
//  - world-projection.json: the projection's scale and translate, so that C# and the browser place markers (longitude,
//    latitude → x, y) with the same Equal Earth formula (eng/map/README.md writes it out), and for each country the
//    projected centroid of its largest polygon, where a marker goes when an alert names a country but no place in it.
// Sources: the npm packages world-atlas 2.0.2 (its countries-110m.json: Natural Earth 1:110m Admin 0 countries, public
// domain; https://www.naturalearthdata.com), topojson-client 3.1.0 and d3-geo 3.1.2 (ISC licence), i18n-iso-countries
// 7.14.0 (MIT licence; ISO numeric → alpha-2). The console shows the attribution "Map: Natural Earth".
// Choices:
//  - Antarctica (AQ) is dropped: no alert is placed there, and without it the map is a tenth less tall (445 units high,
//    not 499) and the SVG 4 kB smaller.
//  - The features of countries-110m.json without an ISO numeric id: Kosovo is XK (the code in common use, not assigned
//    by ISO); Somaliland is a second path of Somalia (c-SO-2, data-code "SO"); Northern Cyprus is merged into Cyprus's
//    geometry (topojson merge: one path c-CY, without the Green Line).
//  - The projection is fitted (fitExtent) into 1000 × 500 with a margin of 5. The world without Antarctica is wider than
//    2:1, so it fills the width; the height is then cut to the map's own plus the margins (445), and the translate moved
//    up to match, so that no empty band is left above or below it. The JSON gives width and height.
//  - Coordinates are rounded to 0.1 unit and written as relative moves and lines (exact: the deltas are taken between
//    the rounded points); points that rounding made equal are dropped, and rings that collapse with them.
// Output is deterministic: paths sorted by code, centroids by code, numbers rounded.
// Run from the repository root after `npm ci`:  node eng/map/generate.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoArea, geoEqualEarth, geoPath } from 'd3-geo';

const require = createRequire(import.meta.url);
const { feature, merge } = require('topojson-client');
const isoCountries = require('i18n-iso-countries');

const OUT_DIR = 'src/Alerts.Infrastructure/Web/Console';
const WIDTH = 1000;
const FIT_HEIGHT = 500;
const MARGIN = 5;
const WITHOUT_ID = { Kosovo: 'XK', Somaliland: 'SO', 'N. Cyprus': 'CY' };
const MERGED_INTO_MAIN = new Set(['N. Cyprus']);
const DROPPED = new Set(['AQ']);

const topology = JSON.parse(readFileSync('node_modules/world-atlas/countries-110m.json', 'utf8'));
const geometries = topology.objects.countries.geometries;

// Code of every geometry; N. Cyprus goes into Cyprus's group, every other geometry is a shape of its own.
const codeOf = (g) => {
  const code = g.id === undefined ? WITHOUT_ID[g.properties.name] : isoCountries.numericToAlpha2(g.id);
  if (!code) throw new Error(`No ISO code for ${g.id} ${g.properties.name}`);
  return code;
};
const groups = [];
for (const [index, g] of geometries.entries()) {
  const code = codeOf(g);
  if (DROPPED.has(code)) continue;
  if (MERGED_INTO_MAIN.has(g.properties.name)) continue;
  groups.push({ code, index, members: [g] });
}
for (const g of geometries.filter((x) => MERGED_INTO_MAIN.has(x.properties.name))) {
  const main = groups.find((s) => s.code === codeOf(g));
  if (!main) throw new Error(`Nothing to merge ${g.properties.name} into`);
  main.members.push(g);
}
const shapes = groups
  .map((s) => ({ code: s.code, index: s.index, geometry: s.members.length === 1 ? feature(topology, s.members[0]).geometry : merge(topology, s.members) }))
  .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.index - b.index));
const collection = { type: 'FeatureCollection', features: shapes.map((s) => ({ type: 'Feature', properties: {}, geometry: s.geometry })) };

// Fit, move the map to the top margin, round scale and translate, and draw with the rounded ones (what the JSON says).
const fitted = geoEqualEarth().fitExtent([[MARGIN, MARGIN], [WIDTH - MARGIN, FIT_HEIGHT - MARGIN]], collection);
const [[, top], [, bottom]] = geoPath(fitted).bounds(collection);
const round = (v, digits) => Number(v.toFixed(digits)) + 0; // + 0 turns -0 into 0
const scale = round(fitted.scale(), 4);
const translate = [round(fitted.translate()[0], 4), round(fitted.translate()[1] - (top - MARGIN), 4)];
const projection = geoEqualEarth().scale(scale).translate(translate);
const height = Math.ceil(bottom - top + 2 * MARGIN);
const path = geoPath(projection);

// Compact path data: d3's absolute "M x,y L x,y … Z" (at 0.1 precision) → tenths, then relative m/l with deltas.
const tenths = (s) => Math.round(Number(s) * 10);
const num = (t) => {
  const a = Math.abs(t);
  const i = Math.floor(a / 10), f = a % 10;
  return (t < 0 ? '-' : '') + (f === 0 ? `${i}` : i === 0 ? `.${f}` : `${i}.${f}`);
};
const numbers = (values) => values.map(num).reduce((out, n, k) => out + (k === 0 || n.startsWith('-') ? n : ' ' + n), '');
function compact(d) {
  const rings = [];
  for (const [, command, args] of d.matchAll(/([MLZ])([^MLZ]*)/g)) {
    if (command === 'M') rings.push({ points: [], closed: false });
    const ring = rings[rings.length - 1];
    if (command === 'Z') { ring.closed = true; continue; }
    const [x, y] = args.split(',').map(tenths);
    const last = ring.points[ring.points.length - 1];
    if (!last || last[0] !== x || last[1] !== y) ring.points.push([x, y]);
  }
  let out = '';
  let start = null; // the current point after "z": the start of the subpath before
  for (const ring of rings) {
    const p = ring.points;
    if (ring.closed && p.length > 1 && p[0][0] === p[p.length - 1][0] && p[0][1] === p[p.length - 1][1]) p.pop();
    if (ring.closed && p.length < 3) continue;
    out += start === null ? 'M' + numbers(p[0]) : 'm' + numbers([p[0][0] - start[0], p[0][1] - start[1]]);
    const deltas = [];
    for (let k = 1; k < p.length; k++) deltas.push(p[k][0] - p[k - 1][0], p[k][1] - p[k - 1][1]);
    if (deltas.length > 0) out += 'l' + numbers(deltas);
    if (ring.closed) out += 'z';
    start = ring.closed ? p[0] : p[p.length - 1];
  }
  return out;
}

// Projected rings of a geometry, for the point-in-polygon test of the centroids.
function projectedRings(geometry) {
  const rings = [];
  path.context({
    moveTo: (x, y) => rings.push([[x, y]]),
    lineTo: (x, y) => rings[rings.length - 1].push([x, y]),
    closePath: () => {},
    arc: () => {},
  })(geometry);
  path.context(null);
  return rings;
}
const inside = (rings, [x, y]) => {
  let odd = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
};
// A centroid outside its (concave) polygon is moved to the middle of the widest stretch inside it on the same line.
function markerPoint(polygon) {
  const [cx, cy] = path.centroid(polygon);
  const rings = projectedRings(polygon);
  if (inside(rings, [cx, cy])) return { point: [cx, cy], moved: false };
  const xs = [];
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if ((yi > cy) !== (yj > cy)) xs.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
    }
  }
  xs.sort((a, b) => a - b);
  let best = null;
  for (let k = 0; k + 1 < xs.length; k += 2) if (!best || xs[k + 1] - xs[k] > best[1] - best[0]) best = [xs[k], xs[k + 1]];
  return { point: best ? [(best[0] + best[1]) / 2, cy] : [cx, cy], moved: true };
}

const polygonsOf = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []);
const sphericalArea = (polygon) => {
  const a = geoArea(polygon);
  return a > 2 * Math.PI ? 4 * Math.PI - a : a;
};
const largest = new Map();
for (const s of shapes) {
  for (const coordinates of polygonsOf(s.geometry)) {
    const polygon = { type: 'Polygon', coordinates };
    const area = sphericalArea(polygon);
    if (!largest.has(s.code) || area > largest.get(s.code).area) largest.set(s.code, { area, polygon });
  }
}
const centroids = [...largest.keys()].sort().map((code) => ({ code, ...markerPoint(largest.get(code).polygon) }));

// world.svg
const used = new Map();
const pathLines = shapes.map((s) => {
  const n = (used.get(s.code) ?? 0) + 1;
  used.set(s.code, n);
  const id = n === 1 ? `c-${s.code}` : `c-${s.code}-${n}`;
  return `<path id="${id}" data-code="${s.code}" class="country" d="${compact(path.digits(1)(s.geometry))}"/>`;
});
const svg = [
  '<!-- Generated by eng/map/generate.mjs from world-atlas 2.0.2: Natural Earth 1:110m countries (public domain). Equal Earth projection; eng/map/README.md. -->',
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="world-map-title" fill="#d1d5db" stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">`,
  '<title id="world-map-title">World map</title>',
  ...pathLines,
  '</svg>',
].join('\n') + '\n';
writeFileSync(`${OUT_DIR}/world.svg`, svg);

// world-projection.json: one centroid a line, so that a change shows as a change of its country's line.
const json = [
  '{',
  '  "source": "Generated by eng/map/generate.mjs from world-atlas 2.0.2: Natural Earth 1:110m countries (public domain). Attribution: Map: Natural Earth",',
  '  "projection": "EqualEarth",',
  `  "width": ${WIDTH},`,
  `  "height": ${height},`,
  `  "scale": ${scale},`,
  `  "translate": [${translate[0]}, ${translate[1]}],`,
  '  "centroids": {',
  centroids.map((c) => `    "${c.code}": [${round(c.point[0], 1)}, ${round(c.point[1], 1)}]`).join(',\n'),
  '  }',
  '}',
].join('\n') + '\n';
writeFileSync(`${OUT_DIR}/world-projection.json`, json);

const moved = centroids.filter((c) => c.moved).map((c) => c.code);
console.log(`world.svg: ${Buffer.byteLength(svg)} bytes, ${pathLines.length} paths, ${used.size} countries (viewBox 0 0 ${WIDTH} ${height})`);
console.log(`world-projection.json: ${Buffer.byteLength(json)} bytes, ${centroids.length} centroids${moved.length ? ` (${moved.length} moved inside their polygon: ${moved.join(' ')})` : ''}`);
