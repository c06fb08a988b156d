// The call guide's flow in plain JavaScript, speaking the relay's protocol v1:
// getUserMedia, the peer connection and its listeners, the announcement (call / accept),
// offer and answer, trickle ICE with the queue of early remote candidates.
// Usage: /call.html?room=ROOM&peer=ID&role=caller|callee
'use strict';

const params = new URLSearchParams(location.search);
const room = params.get('room') || 'room-1';
const me = params.get('peer') || 'browser';
const role = params.get('role') === 'callee' ? 'callee' : 'caller';

// What a test (or a curious learner in the console) can read.
const state = window.callguide = {
  room, peer: me, role, transport: null, states: [], framesReceived: 0, audioPackets: 0,
  selectedPair: null, connected: false, outcome: null, error: null, endedBy: null, sent: [], received: [],
};
const started = performance.now();

function text(id, value) { document.getElementById(id).textContent = String(value); }
text('room', room); text('peer', me); text('role', role);

function record(kind, value) {
  const at = (performance.now() - started).toFixed(1);
  state.states.push({ at: Number(at), kind, value: String(value) });
  const row = document.createElement('tr');
  for (const cell of [at + ' ms', kind, value]) {
    const td = document.createElement('td');
    td.textContent = String(cell);
    row.appendChild(td);
  }
  document.querySelector('#states tbody').appendChild(row);
  if (kind !== 'message-sent' && kind !== 'message-received' && kind !== 'error') publishState(kind, value);
}

function fail(message) {
  state.error = String(message);
  text('outcome', 'failed: ' + message);
  record('error', message);
}

// ---------------------------------------------------------------- the relay, WebSocket first
let relay = null;
let otherPresent = false;

function connectWebSocket() {
  return new Promise((resolve, reject) => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/rooms/${encodeURIComponent(room)}?peer=${encodeURIComponent(me)}`);
    const timer = setTimeout(() => { ws.close(); reject(new Error('no WebSocket after 3 s')); }, 3000);
    ws.onopen = () => {
      clearTimeout(timer);
      resolve({ name: 'websocket', send: (m) => ws.send(JSON.stringify(m)), close: () => ws.close() });
    };
    ws.onerror = () => { clearTimeout(timer); reject(new Error('WebSocket refused')); };
    ws.onmessage = (event) => receive(JSON.parse(event.data));
    ws.onclose = () => record('relay', 'WebSocket closed');
  });
}

async function connectPolling() {
  const base = `/rooms/${encodeURIComponent(room)}/peers/${encodeURIComponent(me)}`;
  const joined = await fetch(base, { method: 'POST' });
  const body = await joined.json();
  if (joined.status !== 201) {
    receive(body.type ? body : { type: 'error', payload: body });
    throw new Error('the relay refused the join: ' + JSON.stringify(body));
  }
  const auth = { Authorization: 'Bearer ' + body.token };
  let after = 0;
  let open = true;
  (async function poll() {
    let failures = 0;
    while (open && failures < 5) {
      try {
        const r = await fetch(`${base}/messages?after=${after}&wait=20`, { headers: auth, cache: 'no-store' });
        if (!r.ok) { failures++; continue; }
        failures = 0;
        for (const m of (await r.json()).messages) {
          if (m.seq > after) { after = m.seq; receive(m); }
        }
      } catch (e) { failures++; }
    }
  })();
  // One at a time, so the relay sees them in the order sent.
  let chain = Promise.resolve();
  return {
    name: 'polling',
    send: (m) => {
      chain = chain.then(() => fetch(`${base}/messages`, {
        method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(m),
      })).catch((e) => fail('send: ' + e));
    },
    close: () => { open = false; fetch(base, { method: 'DELETE', headers: auth }); },
  };
}

function send(type, payload) {
  state.sent.push(type);
  if (!type.startsWith('x-')) record('message-sent', type);
  relay.send({ type, payload });
}

function publishState(kind, value) {
  // Peers may tell the room their state changes; the live view draws them on the lifeline.
  // Only while someone is there to get them: the relay refuses a message to an empty room.
  if (relay && otherPresent) relay.send({ type: 'x-state', payload: { kind, value: String(value) } });
}

// The guide's hang-up: tell the other side, then close the connection and stop the media.
function hangUp() {
  if (otherPresent) send('hangup', {});
  otherPresent = false;
  closeCall('hung up here');
}

// The call is over (either side ended it): 'closed', as the guide's connectionstatechange handler expects.
function closeCall(why) {
  if (state.endedBy) return;
  state.endedBy = why;
  if (pc && pc.signalingState !== 'closed') {
    pc.close();
    record('connection-state', 'closed'); // close() fires no event of its own
  }
  if (localStream) localStream.getTracks().forEach((track) => track.stop());
  record('call', 'ended: ' + why);
  text('outcome', (state.connected ? 'call ended: ' : 'not connected: ') + why);
}
document.getElementById('hangup').addEventListener('click', hangUp);

// ---------------------------------------------------------------- the peer connection
let pc = null;
let localStream = null;
const remoteStream = new MediaStream();
const remoteCandidates = []; // the guide's queue: candidates that came before the remote description
let accepted = false;
let negotiationNeeded = false;
let offerStarted = false;

async function prepare(config) {
  localStream = await navigator.mediaDevices.getUserMedia({
    audio: true, video: { frameRate: 30, facingMode: 'user' },
  });
  document.getElementById('local').srcObject = localStream;
  record('call', 'media ready');
  // Everything about ICE comes from the relay's /config: servers (STUN, TURN with credentials) and policy.
  pc = new RTCPeerConnection({ iceServers: config.iceServers, iceTransportPolicy: config.iceTransportPolicy || 'all' });
  pc.addEventListener('connectionstatechange', () => {
    record('connection-state', pc.connectionState);
    if (pc.connectionState === 'connected') state.connected = true;
  });
  pc.addEventListener('iceconnectionstatechange', () => record('ice-connection-state', pc.iceConnectionState));
  pc.addEventListener('icegatheringstatechange', () => record('ice-gathering-state', pc.iceGatheringState));
  pc.addEventListener('signalingstatechange', () => record('signaling-state', pc.signalingState));
  pc.addEventListener('icecandidateerror', (e) => record('candidate-error', e.errorCode + ' ' + e.errorText));
  pc.addEventListener('icecandidate', (event) => {
    if (!event.candidate) return;
    const c = event.candidate;
    const address = c.candidate.split(' ')[4];
    if (config.loopback && address !== '127.0.0.1') {
      record('candidate-filtered', c.candidate);
      return;
    }
    record('candidate-sent', c.candidate);
    send('candidate', { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment });
  });
  pc.addEventListener('negotiationneeded', () => {
    // It may fire more than once: the offer is made once, after the callee accepted.
    record('negotiation-needed', 'fired');
    negotiationNeeded = true;
    maybeOffer();
  });
  pc.addEventListener('track', (event) => {
    record('track', event.track.kind);
    remoteStream.addTrack(event.track);
    document.getElementById('remote').srcObject = remoteStream;
  });
  localStream.getTracks().forEach((track) => pc.addTrack(track, localStream));
  record('call', 'peer ready');
}

async function maybeOffer() {
  if (role !== 'caller' || !accepted || !negotiationNeeded || offerStarted) return;
  offerStarted = true;
  const offer = await pc.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true, voiceActivityDetection: true });
  await pc.setLocalDescription(offer);
  send('offer', { type: pc.localDescription.type, sdp: pc.localDescription.sdp });
}

async function handleRemoteCandidate(candidate) {
  if (!pc || !pc.remoteDescription) {
    remoteCandidates.push(candidate);
    record('candidate-queued', candidate.candidate);
    return;
  }
  await pc.addIceCandidate(candidate);
  record('candidate-applied', candidate.candidate);
}

async function processCandidates() {
  while (remoteCandidates.length) {
    const candidate = remoteCandidates.shift();
    await pc.addIceCandidate(candidate);
    record('candidate-applied', candidate.candidate);
  }
}

// ---------------------------------------------------------------- what arrives
async function receive(message) {
  state.received.push(message.type);
  if (!message.type.startsWith('x-')) record('message-received', message.type);
  try {
    switch (message.type) {
      case 'welcome':
        otherPresent = message.payload.peers.length > 0;
        if (otherPresent && role === 'caller') send('call', {});
        break;
      case 'peer-joined':
        otherPresent = true;
        if (role === 'caller') send('call', {});
        break;
      case 'call':
        // The callee's media and peer are ready before it accepts.
        send('accept', {});
        break;
      case 'accept':
        accepted = true;
        state.outcome = 'accepted';
        await maybeOffer();
        break;
      case 'decline':
        state.outcome = 'declined';
        fail('the call was declined: ' + JSON.stringify(message.payload));
        break;
      case 'offer':
        await pc.setRemoteDescription(message.payload);
        await processCandidates();
        await pc.setLocalDescription(await pc.createAnswer());
        send('answer', { type: pc.localDescription.type, sdp: pc.localDescription.sdp });
        break;
      case 'answer':
        await pc.setRemoteDescription(message.payload);
        await processCandidates();
        break;
      case 'candidate':
        await handleRemoteCandidate(message.payload);
        break;
      case 'hangup':
        otherPresent = false;
        closeCall('the other side hung up');
        break;
      case 'peer-left':
        otherPresent = false;
        record('call', 'the other peer left (' + message.payload.reason + ')');
        if (pc && !state.endedBy) closeCall('the other side left (' + message.payload.reason + ')');
        break;
      case 'error':
        fail(message.payload.code + ': ' + message.payload.message);
        break;
      default:
        break; // x-state, x-media-received: news, nothing to do
    }
  } catch (e) {
    fail(message.type + ': ' + e);
  }
}

// ---------------------------------------------------------------- what arrives over the call
let mediaReported = false;
async function readStats() {
  if (!pc) return;
  const report = await pc.getStats();
  let pairId = null;
  report.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
  report.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') state.framesReceived = s.framesDecoded || 0;
    if (s.type === 'inbound-rtp' && s.kind === 'audio') state.audioPackets = s.packetsReceived || 0;
  });
  if (pairId && report.get(pairId)) {
    const pair = report.get(pairId);
    const end = (id) => { const c = report.get(id); return c ? `${c.candidateType} ${c.address || '?'}:${c.port}` : '?'; };
    state.selectedPair = { local: end(pair.localCandidateId), remote: end(pair.remoteCandidateId) };
    text('pair', state.selectedPair.local + ' <-> ' + state.selectedPair.remote);
  }
  text('frames', state.framesReceived);
  if (!mediaReported && state.connected && state.framesReceived >= 10 && state.audioPackets > 0) {
    // The verdict is what this side saw. Telling the other side is a courtesy (an x- extension,
    // sent once): it may hang up early knowing media arrived here too.
    mediaReported = true;
    send('x-media-received', { video_frames: state.framesReceived, audio_packets: state.audioPackets });
    text('outcome', 'connected: media flows both ways');
  }
}

(async function main() {
  try {
    const config = await (await fetch('/config', { cache: 'no-store' })).json();
    await prepare(config);
    try {
      relay = await connectWebSocket();
    } catch (e) {
      record('relay', e.message + ': falling back to long polling');
      relay = await connectPolling();
    }
    state.transport = relay.name;
    text('transport', relay.name);
    text('outcome', role === 'caller' ? 'calling...' : 'waiting for a call...');
    setInterval(() => readStats().catch(() => {}), 250);
  } catch (e) {
    fail(e);
  }
})();
