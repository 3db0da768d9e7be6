/** Job kinds, shared by the services that enqueue them and the tasks that run them. */
export const JOB_KINDS = {
  syncMessageCenters: 'message-center.sync',
  deleteContact: 'contact.delete',
  deliverMessage: 'delivery.send',
} as const;
