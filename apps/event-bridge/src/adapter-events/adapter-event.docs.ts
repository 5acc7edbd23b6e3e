import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** Request examples shown in /docs (and checked against the schemas by the docs lint). */
export const newCallExample = {
  type: 'New_Call',
  data: { call_id: 103646, agent_id: 1, agent_email: 'Kim@example.com', queue_id: 8469, session_type: 'Voice Inbound' },
};

export const chatMessageExample = {
  id: '3b7f0c1e-5d2a-4e8b-9c61-0f2d4a6b8e10',
  type: 'Chat_Inbound_Message',
  data: { chat_id: 73522, session_type: 'Messaging (Web)', agent_id: 1, message: 'Can you help me with my order tracking number?' },
};

/** What an array of events is answered with (both ways in), for /docs. */
export const ApiBatchResponses = (max: number) =>
  applyDecorators(
    ApiResponse({ status: 200, description: 'Every event accepted or a duplicate: {accepted, duplicates, rejected, results[{index, status, eventId}]}' }),
    ApiResponse({ status: 207, description: 'Some events rejected (results[].status "rejected" with error {code, message, details}); the others are stored' }),
    ApiResponse({ status: 413, description: `More than ${max} events (TooManyEvents), or a body over HTTP_BODY_LIMIT: nothing stored` }),
  );
