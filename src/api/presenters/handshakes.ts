import type { HandshakePage, HandshakeView } from '../../services/handshakes.js';
import type { Presenter } from '../action.js';
import type { handshakeActions } from '../actions/handshakes.js';
import { nothing, object, objects, optional, secondsTimeOf, text, type Answer } from './answer.js';
import { pageField } from './shared.js';

const handshake: Answer<HandshakeView> = {
  HandshakeId: text((h: HandshakeView) => h.id),
  ResourceDirectoryId: text((h: HandshakeView) => h.directoryId),
  MasterAccountId: text((h: HandshakeView) => h.masterAccountId),
  MasterAccountName: text((h: HandshakeView) => h.masterAccountName),
  TargetType: text((h: HandshakeView) => h.targetType),
  TargetEntity: text((h: HandshakeView) => h.targetEntity),
  Note: text((h: HandshakeView) => h.note),
  Status: text((h: HandshakeView) => h.shownStatus),
  CreateTime: secondsTimeOf((h: HandshakeView) => h.createTime),
  ModifyTime: secondsTimeOf((h: HandshakeView) => h.modifyTime),
  ExpireTime: secondsTimeOf((h: HandshakeView) => h.expireTime),
};

const one: Answer<HandshakeView> = { Handshake: object(handshake, (h: HandshakeView) => h) };

const page: Answer<HandshakePage> = {
  TotalCount: pageField.TotalCount,
  PageNumber: pageField.PageNumber,
  PageSize: pageField.PageSize,
  Handshakes: object({ Handshake: objects(handshake, (p: HandshakePage) => p.handshakes) }, (p: HandshakePage) => p),
};

/** The invitation answers, alike at ResourceManager 2020-03-31 and ResourceDirectoryMaster 2022-04-19. */
export const handshakeAnswers: Presenter<typeof handshakeActions> = {
  InviteAccountToResourceDirectory: one,
  AcceptHandshake: one,
  DeclineHandshake: one,
  CancelHandshake: one,
  GetHandshake: {
    Handshake: object(
      {
        ...handshake,
        // Only the invitee is shown the real names (Alibaba: "available only when an invitee calls this operation").
        InvitedAccountRealName: optional(text((h: HandshakeView) => h.realNames?.invited)),
        MasterAccountRealName: optional(text((h: HandshakeView) => h.realNames?.master)),
      },
      (h: HandshakeView) => h,
    ),
  },
  ListHandshakesForAccount: page,
  ListHandshakesForResourceDirectory: page,
  RemoveCloudAccount: nothing,
};
