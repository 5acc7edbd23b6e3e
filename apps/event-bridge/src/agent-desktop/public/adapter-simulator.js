// Stands in for the call and chat adapters of the source document (EB1.2): each button posts one of its
// sample events, {type, data}, to the embedding page.
(function () {
  'use strict';

  const agent = { agent_id: 1, agent_custom_id: '007', agent_email: 'Kim@example.com' };
  const call = { queue_id: 8469, queue_path: 'Developers / Kim', campaign_id: 1432, campaign_name: 'Survey Movie', call_id: 103646, session_type: 'Voice Campaign (UJET)' };
  const chat = { chat_id: 73522, session_type: 'Messaging Inbound (Web Chat)', queue_id: 7678, queue_path: 'HB TEAM / Ariel' };

  function withAgent(fields) {
    return Object.assign({}, agent, fields);
  }

  const samples = [
    { type: 'Agent_Login', data: withAgent({}) },
    { type: 'New_Call', data: withAgent(call) },
    { type: 'End_Call', data: withAgent(call) },
    { type: 'New_Chat', data: withAgent(chat) },
    { type: 'End_Chat', data: withAgent(chat) },
    { type: 'Agent_Logout', data: withAgent({}) },
  ];

  const buttons = document.getElementById('buttons');
  const posted = document.getElementById('posted');
  samples.forEach(function (sample) {
    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'post-' + sample.type;
    button.textContent = sample.type;
    button.addEventListener('click', function () {
      // The demo desktop is served by the same bridge: posting to this origin only keeps the data there.
      window.parent.postMessage(sample, window.location.origin);
      posted.textContent = 'posted ' + sample.type;
    });
    buttons.appendChild(button);
  });
})();
