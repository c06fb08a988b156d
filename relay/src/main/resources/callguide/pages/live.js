// The live view: polls /api/rooms for what is new since its last look (?since=SEQ) and draws each
// room as a sequence diagram. Everything a peer sent is put into the page with textContent, never
// as markup. Behind a key (--live-view secret) the page's own ?key= is sent on as a header.
'use strict';

const ARROW_TYPES = new Set(['call', 'accept', 'decline', 'offer', 'answer', 'candidate', 'hangup']);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function time(ms, since) {
  return '+' + ((ms - since) / 1000).toFixed(3) + ' s';
}

function lifelines(room) {
  const names = [];
  for (const m of room.messages) {
    for (const p of [m.from, m.to]) if (p && !names.includes(p)) names.push(p);
  }
  return names.slice(0, 2);
}

function drawRoom(room) {
  const box = el('div', null, 'room');
  box.dataset.room = room.room;
  box.appendChild(el('h2', 'room ' + room.room + (room.open ? '' : ' (closed)')));
  const peers = el('div', null, 'peers');
  if (room.peers.length === 0) peers.appendChild(el('span', 'nobody here now', 'muted'));
  for (const p of room.peers) {
    peers.appendChild(el('span', p.peer + ' over ' + p.transport + ' since ' + new Date(p.since).toLocaleTimeString() + '   '));
  }
  box.appendChild(peers);

  const [a, b] = lifelines(room);
  const table = el('table', null, 'seq');
  const head = el('tr');
  for (const h of ['time', a || '', '', b || '', '']) head.appendChild(el('th', h));
  table.appendChild(head);
  const since = room.messages.length ? room.messages[0].at : 0;
  for (const m of room.messages) {
    const row = el('tr');
    row.dataset.type = m.type;
    row.appendChild(el('td', time(m.at, since)));
    const left = el('td', '', 'life');
    const mid = el('td', '', 'arrow');
    const right = el('td', '', 'life');
    if (m.to) {
      // A message from one peer to the other: an arrow across.
      const label = m.type;
      mid.textContent = m.from === b ? '\u25c0\u2500\u2500 ' + label + ' \u2500\u2500' : '\u2500\u2500 ' + label + ' \u2500\u2500\u25b6';
      if (m.type === 'x-state') {
        row.className = 'state';
        mid.textContent = '';
        (m.from === b ? right : left).textContent = m.detail || '';
      } else if (!ARROW_TYPES.has(m.type)) {
        mid.className = 'arrow muted';
      }
    } else {
      // joined / left: on the peer's own lifeline.
      (m.from === b ? right : left).textContent = m.type + (m.detail ? ' (' + m.detail + ')' : '');
    }
    row.appendChild(left);
    row.appendChild(mid);
    row.appendChild(right);
    const detail = el('td', m.type === 'x-state' ? '' : (m.detail || ''), 'detail');
    if (m.fault) {
      // What the relay did to this message on purpose (--faults): marked, with what was done.
      row.classList.add('fault');
      mid.textContent = '\u26a1 ' + mid.textContent;
      detail.appendChild(el('div', 'injected: ' + m.fault, 'fault'));
    }
    row.appendChild(detail);
    table.appendChild(row);
  }
  box.appendChild(table);
  return box;
}

const KEY = new URLSearchParams(location.search).get('key');
const MAX_ROOMS = 60;
const MAX_MESSAGES = 200;
const known = new Map(); // room id -> {room, open, peers, messages}
let since = 0;

function merge(update) {
  const room = known.get(update.room) || { room: update.room, messages: [] };
  room.open = update.open;
  room.peers = update.peers;
  const last = room.messages.length ? room.messages[room.messages.length - 1].seq : 0;
  for (const m of update.messages) if (m.seq > last) room.messages.push(m); // an answer may repeat entries
  if (room.messages.length > MAX_MESSAGES) room.messages.splice(0, room.messages.length - MAX_MESSAGES);
  room.changed = Date.now();
  known.delete(update.room);
  known.set(update.room, room);
  while (known.size > MAX_ROOMS) known.delete(known.keys().next().value); // the least recently changed
}

function ordered() {
  const rooms = [...known.values()];
  const open = rooms.filter((r) => r.open).sort((a, b) => (a.room < b.room ? -1 : 1));
  const closed = rooms.filter((r) => !r.open).sort((a, b) => b.changed - a.changed);
  return open.concat(closed);
}

async function refresh() {
  const status = document.getElementById('status');
  let more = false;
  try {
    const headers = KEY ? { 'X-Live-View-Key': KEY } : {};
    const response = await fetch('/api/rooms?since=' + since, { cache: 'no-store', headers });
    if (!response.ok) {
      status.textContent = response.status === 403 ? 'this live view needs the key the relay printed (?key=...)'
        : 'the relay answered ' + response.status;
    } else {
      const view = await response.json();
      for (const update of view.rooms) merge(update);
      since = view.seq;
      more = view.more;
      const shown = ordered();
      document.getElementById('rooms').replaceChildren(...shown.map(drawRoom));
      const faults = view.faults ? '; the relay misbehaves on purpose (--faults ' + view.faults + '): marked \u26a1' : '';
      status.textContent = shown.length + ' room(s), updated ' + new Date().toLocaleTimeString()
        + (more ? ', catching up...' : '') + faults;
    }
  } catch (e) {
    status.textContent = 'cannot reach the relay: ' + e;
  }
  setTimeout(refresh, more ? 50 : 500);
}

refresh();
