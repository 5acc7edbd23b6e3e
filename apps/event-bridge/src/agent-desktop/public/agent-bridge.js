/*!
 * Switchboard agent bridge (EB1.1 a, EB3.2): include it in the CRM page that embeds the agent adapters.
 *
 *   <script src="https://<event-bridge>/sdk/agent-bridge.js"></script>
 *   <script>
 *     var bridge = SwitchboardAgentBridge.start({
 *       bridgeUrl: 'https://<event-bridge>',          // default: where this script was loaded from
 *       getToken: function () { return myTokenPromise(); }, // or token: '<agent JWT>'
 *       adapterOrigin: 'https://tenant.example.com',   // the adapter iframes' origin (or an array of them)
 *       targetFrame: 'crm'                             // name of the iframe CRM_Record_Pop loads into
 *     });
 *     bridge.on('New_Chat', function (message) { ... });  // message: {type, eventId, time, data}
 *     bridge.onAny(function (message) { ... });
 *   </script>
 *
 * - Adapter events: `message` events whose origin is exactly adapterOrigin are forwarded as {type, data} to
 *   POST /adapter-events/from-agent with the agent's bearer token; every other origin is ignored. Events wait
 *   in a queue (memory and sessionStorage, so a reload keeps them) while offline or while the bridge answers
 *   5xx, 408 or 429 or cannot be reached, and are retried with back-off. Any other 4xx is final: resending the
 *   same request cannot succeed, so those events are dropped (reported through onStatus).
 * - Agent stream: GET /agent-stream read with fetch() (EventSource cannot send Authorization), parsed as
 *   Server-Sent Events, reconnected with back-off and Last-Event-ID so that nothing sent meanwhile is missed.
 * - CRM_Record_Pop: the iframe named targetFrame gets recordUrl as its src, only for http and https URLs.
 *
 * Plain modern JavaScript (ES2019) for current browsers, no build step, no dependencies. The token is never logged or stored.
 */
(function (global) {
  'use strict';

  const EVENTS_PATH = '/adapter-events/from-agent';
  const STREAM_PATH = '/agent-stream';
  const RECORD_POP = 'CRM_Record_Pop';
  /** The most events one flush sends (the endpoint's batch limit for agent pages). */
  const MAX_BATCH = 50;
  /** Beyond this many waiting events the oldest are dropped, so a long outage cannot fill the tab's memory. */
  const MAX_QUEUE = 1000;
  const FIRST_RETRY_MS = 1000;
  const MAX_RETRY_MS = 30000;
  /** The stream sends a heartbeat every 15 s; silence this long means the connection is dead. */
  const STREAM_SILENCE_MS = 45000;
  /** Event ids already handled, so a replayed pop does not reload the CRM frame. */
  const REMEMBERED_EVENT_IDS = 200;

  const scriptOrigin = (function () {
    const script = global.document && global.document.currentScript;
    try {
      return script && script.src ? new URL(script.src).origin : undefined;
    } catch {
      return undefined;
    }
  })();

  /** Exponential back-off with jitter: about 1 s, 2 s, 4 s … up to 30 s. */
  function backoffMs(attempt) {
    const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * Math.pow(2, attempt));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /** 5xx, 408 (timeout) and 429 (rate limit) are worth repeating; other 4xx answers are final. */
  function isRetryable(status) {
    return status >= 500 || status === 408 || status === 429;
  }

  /** Seconds of a Retry-After header in milliseconds, when the server sent one. */
  function retryAfterMs(response) {
    const seconds = Number(response.headers.get('retry-after'));
    return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 5 * 60000) : undefined;
  }

  /** The URL a pop may load: absolute http or https only (never javascript:, data:, blob: …). */
  function safeRecordUrl(value) {
    if (typeof value !== 'string') return undefined;
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
    } catch {
      return undefined;
    }
  }

  /** What an adapter posted, as {type, data}; adapters post objects, some older ones a JSON string. */
  function adapterEventOf(posted) {
    let value = posted;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        return undefined;
      }
    }
    if (!value || typeof value !== 'object' || typeof value.type !== 'string' || !value.type) return undefined;
    if (!value.data || typeof value.data !== 'object' || Array.isArray(value.data)) return undefined;
    return { type: value.type, data: value.data };
  }

  /**
   * Server-Sent Events parser (WHATWG HTML "Parsing an event stream"): feed it decoded text as it arrives;
   * it calls onEvent({id, event, data}) for every complete event and onRetry(ms) for `retry:` fields.
   */
  function SseParser(onEvent, onRetry) {
    let buffer = '';
    let data = [];
    let eventName = '';
    // The id field takes effect when its event is complete: an event cut off mid-way is asked for again.
    let idBuffer;
    let lastId;
    let skipLineFeed = false;

    function field(line) {
      if (line === '') {
        lastId = idBuffer;
        if (data.length > 0) onEvent({ id: lastId, event: eventName || 'message', data: data.join('\n') });
        data = [];
        eventName = '';
        return;
      }
      if (line.charAt(0) === ':') return;
      const colon = line.indexOf(':');
      const name = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.charAt(0) === ' ') value = value.slice(1);
      if (name === 'data') data.push(value);
      else if (name === 'event') eventName = value;
      else if (name === 'id' && value.indexOf('\u0000') === -1) idBuffer = value;
      else if (name === 'retry' && /^[0-9]+$/.test(value)) onRetry(Number(value));
    }

    this.push = function (text) {
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer.charAt(i);
        if (skipLineFeed) {
          skipLineFeed = false;
          if (char === '\n') {
            start = i + 1;
            continue;
          }
        }
        if (char === '\r' || char === '\n') {
          field(buffer.slice(start, i));
          skipLineFeed = char === '\r';
          start = i + 1;
        }
      }
      buffer = buffer.slice(start);
    };
    /** The id of the last event received (sent back as Last-Event-ID). */
    this.lastEventId = function () {
      return lastId;
    };
    /** Forgets a half-received event (a new connection starts afresh after the last complete one). */
    this.resetPending = function () {
      buffer = '';
      data = [];
      eventName = '';
      idBuffer = lastId;
      skipLineFeed = false;
    };
  }

  function start(options) {
    options = options || {};
    const bridgeUrl = String(options.bridgeUrl || scriptOrigin || '').replace(/\/+$/, '');
    if (!/^https?:\/\//.test(bridgeUrl)) throw new Error('SwitchboardAgentBridge.start: bridgeUrl must be an http(s) URL');
    if (!options.token && typeof options.getToken !== 'function') throw new Error('SwitchboardAgentBridge.start: give token or getToken()');
    const adapterOrigins = [].concat(options.adapterOrigin || []).map(function (origin) {
      return new URL(origin).origin;
    });
    if (adapterOrigins.length === 0) throw new Error('SwitchboardAgentBridge.start: adapterOrigin is required');
    const targetFrame = options.targetFrame;
    const storage = sessionStorageOrNothing();
    const queueKey = 'switchboard.agentBridge.queue:' + bridgeUrl;

    const handlers = {};
    const anyHandlers = [];
    const statusHandlers = [];
    let stopped = false;
    const queue = loadQueue();
    let sending = false;
    let sendAttempt = 0;
    let sendTimer;
    const stream = { controller: undefined, attempt: 0, timer: undefined, silence: undefined, retryMs: undefined, state: 'idle' };
    const parser = new SseParser(dispatch, function (ms) {
      stream.retryMs = ms;
    });
    const handledIds = [];

    function token() {
      return Promise.resolve(options.getToken ? options.getToken() : options.token);
    }

    function report(change) {
      const status = { stream: stream.state, queued: queue.length };
      for (const key in change) status[key] = change[key];
      statusHandlers.forEach(function (handler) {
        safely(handler, status);
      });
    }

    // ---- adapter events → POST /adapter-events/from-agent -------------------------------------------

    function onMessage(event) {
      // Only the adapters' own origin: any other frame or window could forge agent events.
      if (adapterOrigins.indexOf(event.origin) === -1) return;
      const adapterEvent = adapterEventOf(event.data);
      if (!adapterEvent) return;
      // An id of its own, kept through retries: a resend the bridge already stored is answered "duplicate".
      adapterEvent.id = newEventId();
      queue.push(adapterEvent);
      if (queue.length > MAX_QUEUE) queue.splice(0, queue.length - MAX_QUEUE);
      saveQueue();
      report({});
      flush();
    }

    function flush() {
      if (stopped || sending || sendTimer || queue.length === 0) return;
      if (global.navigator && global.navigator.onLine === false) return; // the 'online' event flushes
      sending = true;
      const batch = queue.slice(0, MAX_BATCH);
      token()
        .then(function (bearer) {
          return fetch(bridgeUrl + EVENTS_PATH, {
            method: 'POST',
            headers: { authorization: 'Bearer ' + bearer, 'content-type': 'application/json' },
            body: JSON.stringify(batch.length === 1 ? batch[0] : batch),
            credentials: 'omit',
            cache: 'no-store',
          });
        })
        .then(function (response) {
          sending = false;
          if (response.ok || !isRetryable(response.status)) {
            queue.splice(0, batch.length);
            saveQueue();
            sendAttempt = 0;
            if (!response.ok) report({ dropped: batch.length, lastError: 'events refused with HTTP ' + response.status });
            else report({ sent: batch.length });
            flush();
          } else {
            retrySend(retryAfterMs(response), 'HTTP ' + response.status);
          }
        })
        .catch(function (error) {
          sending = false;
          retrySend(undefined, error && error.message ? error.message : 'network error');
        });
    }

    function retrySend(delayMs, reason) {
      if (stopped) return;
      const delay = delayMs || backoffMs(sendAttempt++);
      report({ lastError: 'sending events failed (' + reason + '), retrying in ' + delay + ' ms' });
      sendTimer = setTimeout(function () {
        sendTimer = undefined;
        flush();
      }, delay);
    }

    function loadQueue() {
      try {
        const saved = storage && JSON.parse(storage.getItem(queueKey) || '[]');
        return Array.isArray(saved)
          ? saved.filter(function (item) {
              return adapterEventOf(item) && typeof item.id === 'string';
            })
          : [];
      } catch {
        return [];
      }
    }

    function saveQueue() {
      try {
        if (!storage) return;
        if (queue.length === 0) storage.removeItem(queueKey);
        else storage.setItem(queueKey, JSON.stringify(queue));
      } catch {
        // Full or disabled storage: the queue still lives in memory.
      }
    }

    // ---- GET /agent-stream → hooks and screen pops ---------------------------------------------------

    function connect() {
      if (stopped || stream.controller) return;
      if (global.navigator && global.navigator.onLine === false) {
        setStreamState('offline');
        return;
      }
      const controller = new AbortController();
      stream.controller = controller;
      setStreamState('connecting');
      token()
        .then(function (bearer) {
          const headers = { authorization: 'Bearer ' + bearer, accept: 'text/event-stream' };
          const lastId = parser.lastEventId();
          if (lastId !== undefined && lastId !== '') headers['last-event-id'] = lastId;
          return fetch(bridgeUrl + STREAM_PATH, { headers: headers, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
        })
        .then(function (response) {
          if (!response.ok || !response.body) {
            const error = new Error('agent stream answered HTTP ' + response.status);
            error.status = response.status;
            throw error;
          }
          setStreamState('open');
          stream.attempt = 0;
          return read(response.body.getReader(), controller);
        })
        .then(
          function () {
            reconnect(controller, 'the stream ended');
          },
          function (error) {
            reconnect(controller, error && error.message ? error.message : 'network error', error && error.status);
          },
        );
    }

    function read(reader, controller) {
      const decoder = new TextDecoder();
      parser.resetPending();
      watchSilence(controller);
      return reader.read().then(function next(chunk) {
        if (chunk.done) return undefined;
        watchSilence(controller);
        parser.push(decoder.decode(chunk.value, { stream: true }));
        return reader.read().then(next);
      });
    }

    /** A connection dropped without a FIN (sleeping laptop, changed network) only shows as silence. */
    function watchSilence(controller) {
      clearTimeout(stream.silence);
      stream.silence = setTimeout(function () {
        controller.abort();
      }, STREAM_SILENCE_MS);
    }

    function reconnect(controller, reason, status) {
      if (stream.controller !== controller) return; // already replaced (offline/online, stop)
      clearTimeout(stream.silence);
      stream.controller = undefined;
      if (stopped) return;
      // A refused token stays refused unless the page can fetch a new one.
      if (status !== undefined && status < 500 && !isRetryable(status) && !options.getToken) {
        setStreamState('stopped', { lastError: reason });
        return;
      }
      const delay = Math.max(backoffMs(stream.attempt++), stream.retryMs || 0);
      setStreamState('retrying', { lastError: reason + ', reconnecting in ' + delay + ' ms' });
      stream.timer = setTimeout(function () {
        stream.timer = undefined;
        connect();
      }, delay);
    }

    function disconnect() {
      clearTimeout(stream.timer);
      clearTimeout(stream.silence);
      stream.timer = undefined;
      const controller = stream.controller;
      stream.controller = undefined;
      if (controller) controller.abort();
    }

    function setStreamState(state, extra) {
      stream.state = state;
      report(extra || {});
    }

    function dispatch(frame) {
      let message;
      try {
        message = JSON.parse(frame.data);
      } catch {
        return;
      }
      if (!message || typeof message !== 'object') return;
      const type = typeof message.type === 'string' ? message.type : frame.event;
      if (message.eventId) {
        if (handledIds.indexOf(message.eventId) !== -1) return;
        handledIds.push(message.eventId);
        if (handledIds.length > REMEMBERED_EVENT_IDS) handledIds.shift();
      }
      if (type === RECORD_POP) popRecord(message.data || {});
      (handlers[type] || []).slice().forEach(function (handler) {
        safely(handler, message);
      });
      anyHandlers.slice().forEach(function (handler) {
        safely(handler, message);
      });
    }

    function popRecord(data) {
      const url = safeRecordUrl(data.recordUrl);
      if (!url) {
        report({ lastError: 'ignored a CRM_Record_Pop whose recordUrl is not an http(s) URL' });
        return;
      }
      const frame = findFrame(targetFrame);
      if (frame) frame.src = url;
      else report({ lastError: 'no iframe named "' + targetFrame + '" for CRM_Record_Pop' });
    }

    function findFrame(name) {
      if (!name) return undefined;
      const frames = global.document.getElementsByTagName('iframe');
      for (let i = 0; i < frames.length; i++) if (frames[i].name === name) return frames[i];
      return undefined;
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    function onOnline() {
      // Back online: no reason to sit out a back-off meant for the outage.
      sendAttempt = 0;
      stream.attempt = 0;
      clearTimeout(sendTimer);
      sendTimer = undefined;
      clearTimeout(stream.timer);
      stream.timer = undefined;
      connect();
      flush();
    }

    function onOffline() {
      // The stream is dead without a network; reconnecting on 'online' replays what was missed.
      disconnect();
      setStreamState('offline');
    }

    global.addEventListener('message', onMessage);
    global.addEventListener('online', onOnline);
    global.addEventListener('offline', onOffline);
    connect();
    flush();

    return {
      /** Calls handler(message) for every stream event of this type (message: {type, eventId, time, data}). */
      on: function (type, handler) {
        (handlers[type] = handlers[type] || []).push(handler);
        return this;
      },
      /** Calls handler(message) for every stream event, whatever its type. */
      onAny: function (handler) {
        anyHandlers.push(handler);
        return this;
      },
      /** Calls handler({stream, queued, sent?, dropped?, lastError?}) when the connection or the queue changes. */
      onStatus: function (handler) {
        statusHandlers.push(handler);
        return this;
      },
      /** Events waiting to be sent. */
      queued: function () {
        return queue.length;
      },
      /** Stops listening and streaming; queued events stay in sessionStorage for the next start. */
      stop: function () {
        stopped = true;
        clearTimeout(sendTimer);
        global.removeEventListener('message', onMessage);
        global.removeEventListener('online', onOnline);
        global.removeEventListener('offline', onOffline);
        disconnect();
      },
    };
  }

  function newEventId() {
    const cryptoApi = global.crypto;
    if (cryptoApi && typeof cryptoApi.randomUUID === 'function') return cryptoApi.randomUUID();
    // randomUUID exists only in secure contexts (https, localhost); 16 random bytes serve as well.
    const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
    return Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 0x100).toString(16).slice(1);
      })
      .join('');
  }

  function safely(handler, value) {
    try {
      handler(value);
    } catch (error) {
      if (global.console) global.console.error('SwitchboardAgentBridge: a handler failed', error);
    }
  }

  function sessionStorageOrNothing() {
    try {
      return global.sessionStorage;
    } catch {
      return undefined; // storage blocked (sandboxed frame, privacy settings)
    }
  }

  // The stream parser is public too: pages may read other SSE streams with it, and tests check it alone.
  global.SwitchboardAgentBridge = { start: start, ServerSentEventsParser: SseParser, safeRecordUrl: safeRecordUrl };
})(window);
