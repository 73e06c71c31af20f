// Server-sent events over fetch (the session cookie goes with it, same origin), which lets the
// page tell "signed out" (401) from a dropped connection, something EventSource hides. Parses the text/event-stream format itself and reconnects after a drop, sending
// Last-Event-ID so the server can replay what was missed.

/**
 * openStream(url, { headers: () => ({...}), onEvent({type, data, id}), onState(state, info) })
 * states: 'connecting', 'live', 'reconnecting', 'unauthorised', 'closed'. Returns { close() }.
 */
export function openStream(url, { headers = () => ({}), onEvent, onState = () => {} }) {
  let lastEventId = null;
  let retryMs = 2000;
  let backoff = 1000;
  let closed = false;
  let controller = null;
  let timer = null;
  let connectedOnce = false;

  async function connect() {
    if (closed) return;
    controller = new AbortController();
    onState(connectedOnce ? 'reconnecting' : 'connecting');
    try {
      const h = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', ...headers() };
      if (lastEventId) h['Last-Event-ID'] = lastEventId;
      const res = await fetch(url, { headers: h, signal: controller.signal, cache: 'no-store', credentials: 'same-origin' });
      if (res.status === 401 || res.status === 403) {
        closed = true;
        onState('unauthorised', { status: res.status });
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      onState('live', { resumed: connectedOnce });
      connectedOnce = true;
      backoff = 1000;
      await read(res.body);
      if (!closed) throw new Error('stream ended');
    } catch (e) {
      if (closed) return;
      const wait = Math.max(retryMs, backoff);
      backoff = Math.min(backoff * 2, 15000);
      onState('reconnecting', { inMs: wait, error: e });
      timer = setTimeout(connect, wait);
    }
  }

  async function read(body) {
    const reader = body.getReader();
    const decoder = new TextDecoder('utf-8');
    let buffer = '';
    let ev = { type: '', data: [], id: null };
    const dispatch = () => {
      if (ev.id !== null) lastEventId = ev.id;
      if (ev.data.length) {
        try {
          onEvent({ type: ev.type || 'message', data: ev.data.join('\n'), id: ev.id ?? lastEventId });
        } catch (err) {
          console.error('stream event handler failed', err);
        }
      }
      ev = { type: '', data: [], id: null };
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      // Lines end with CRLF, LF or CR; keep a trailing CR in the buffer in case LF follows.
      let m;
      const lineEnd = /\r\n|\n|\r(?=[^\n])/;
      while ((m = lineEnd.exec(buffer)) !== null) {
        const line = buffer.slice(0, m.index);
        buffer = buffer.slice(m.index + m[0].length);
        if (line === '') { dispatch(); continue; }
        if (line.startsWith(':')) continue; // comment (heartbeat)
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'event') ev.type = val;
        else if (field === 'data') ev.data.push(val);
        else if (field === 'id') { if (!val.includes('\0')) ev.id = val; }
        else if (field === 'retry' && /^\d+$/.test(val)) retryMs = Number(val);
      }
    }
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (controller) controller.abort();
      onState('closed');
    },
  };
}
