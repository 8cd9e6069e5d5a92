import type { BodyTemplate } from '../../notification/domain/BodySnapshot';
import { renderDigest, type DigestContent } from './renderDigest';

/** A digest is stored as its content (the lines as of its run) and rendered when it is sent. */
export const digestTemplate: BodyTemplate = {
  name: 'digest',
  render: (data) => renderDigest(data as DigestContent),
};
