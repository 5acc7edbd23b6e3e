// Wires the demo desktop with the agent-bridge script, as a CRM page would (EB3.3).
(function () {
  'use strict';

  // The token travels in the URL fragment (#token=…), which the browser never sends to any server;
  // it is taken out of the address bar and history at once and kept in memory only.
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  if (!token) {
    document.getElementById('missing-token').hidden = false;
    return;
  }

  const bridge = window.SwitchboardAgentBridge.start({
    bridgeUrl: window.location.origin,
    token: token,
    // The simulator is served by this bridge, so the adapter origin is the page's own.
    adapterOrigin: window.location.origin,
    targetFrame: 'crm',
  });

  const stateView = document.getElementById('stream-state');
  const queuedView = document.getElementById('queued');
  const errorView = document.getElementById('last-error');
  bridge.onStatus(function (status) {
    stateView.textContent = status.stream;
    stateView.setAttribute('data-state', status.stream);
    queuedView.textContent = String(status.queued);
    errorView.textContent = status.lastError ? ' · ' + status.lastError : '';
  });

  const list = document.getElementById('events');
  bridge.onAny(function (message) {
    const item = document.createElement('li');
    item.setAttribute('data-type', message.type);
    item.textContent = (message.time || '') + ' ' + message.type + ' ' + JSON.stringify(message.data);
    list.insertBefore(item, list.firstChild);
  });
})();
