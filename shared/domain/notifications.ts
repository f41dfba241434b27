/** Which desktop notifications the user wants (settings → Notifications). */
export interface NotificationSettings {
  /** a notice for new messages from contacts (message requests are never notified, whatever this says) */
  readonly messages: boolean;
  /** the message text in the notice; off → only who wrote ("Bob Builder: new message") */
  readonly messageText: boolean;
  /** a notice for an incoming or missed call while the window is not focused */
  readonly calls: boolean;
}

export const DEFAULT_NOTIFICATIONS: NotificationSettings = { messages: true, messageText: true, calls: true };
