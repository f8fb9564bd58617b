// cot-parse.mjs: read CoT events (one XML event a line) with
// @tak-ps/node-cot, a real CoT implementation, and write what it read as
// one JSON object a line: {"ok":true, type, uid, how, time, start,
// stale, lat, lon, callsign, remarks, links: [[lat, lon], ...],
// link_uids: [...], forcedelete, geometry} or {"ok":false,"error":...}.
// Run from a folder whose node_modules holds the package.
// usage: node cot-parse.mjs EVENTS
import fs from 'node:fs';
import * as nodecot from '@tak-ps/node-cot';

const CoT = nodecot.default;
const Parser = nodecot.CoTParser;

async function parse(xml) {
	let cot, geo;
	if (Parser && Parser.from_xml) {
		cot = Parser.from_xml(xml);
		geo = await Parser.to_geojson(cot);
	} else {
		cot = new CoT(xml);
		geo = await cot.to_geojson();
	}
	const ev = cot.raw.event;
	const a = ev._attributes;
	const d = ev.detail || {};
	let links = d.link || [];
	if (!Array.isArray(links)) links = [links];
	return {
		ok: true,
		type: a.type, uid: a.uid, how: a.how,
		time: a.time, start: a.start, stale: a.stale,
		lat: Number(ev.point._attributes.lat),
		lon: Number(ev.point._attributes.lon),
		callsign: d.contact && d.contact._attributes ?
		    d.contact._attributes.callsign : null,
		remarks: d.remarks ? d.remarks._text || '' : null,
		links: links.filter((l) => l._attributes.point).map((l) =>
		    l._attributes.point.split(',').slice(0, 2).map(Number)),
		link_uids: links.filter((l) => l._attributes.uid).map((l) =>
		    l._attributes.uid),
		forcedelete: d.__forcedelete !== undefined,
		geometry: geo.geometry ? geo.geometry.type : null,
		geometry_n: geo.geometry && geo.geometry.coordinates ?
		    geo.geometry.coordinates.length : 0,
	};
}

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n');
for (const line of lines) {
	if (line.trim() === '') continue;
	try {
		console.log(JSON.stringify(await parse(line)));
	} catch (err) {
		console.log(JSON.stringify({ ok: false, error: String(err) }));
	}
}
