import type { ReactNode } from 'react';
import type { MessageDto, MessageReceipt } from '#shared/domain/chat.ts';
import { deliveryView } from '../lib/delivery.ts';

/** The delivery state of an outgoing message: a symbol with its meaning as tooltip and accessible text. */
export function DeliveryIcon({
  message,
}: {
  readonly message: Pick<MessageDto, 'state' | 'reason' | 'code'> & { readonly receipt?: MessageReceipt };
}): ReactNode {
  const view = deliveryView(message);
  if (view.icon === '') return null;
  return (
    <span className={`delivery delivery-${view.tone}`} title={view.text} role="img" aria-label={view.text}>
      {view.icon}
    </span>
  );
}
