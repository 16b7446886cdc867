import { carriesSpecialLabels, carriesUrgencyLabels, CHANNELS } from '../../rules/types';

describe('which channels carry urgency and special labels', () => {
  it('第十一条(一): only 12345 tickets (12328 phone included) carry 特急/紧急/急', () => {
    expect(CHANNELS.filter(carriesUrgencyLabels)).toEqual(['12345']);
  });
  it('第十三条: only the 12345 platform attaches the special labels', () => {
    expect(CHANNELS.filter(carriesSpecialLabels)).toEqual(['12345']);
  });
});
