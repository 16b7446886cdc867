import { checkNoReporterIdentity, type ReporterIdentity } from '../../rules/privacy';

/** Whether a text names the reporter or quotes their number, as the check sees it. */
const reporterIdentityIn = (text: string, reporter: ReporterIdentity) => !checkNoReporterIdentity({ text }, reporter).ok;
import { compact } from '../../rules/text';

const REPORTER = { name: '孙某', phone: '13812345678' };
const PIPL = '《中华人民共和国个人信息保护法》第十条';

describe('《中华人民共和国个人信息保护法》第十条 compact: the form identities are compared in', () => {
  it('《个人信息保护法》: NFKC, then no whitespace, dots, hyphens, dashes, parentheses, slashes or underscores', () => {
    expect(compact('（１３８）1234–5678\u3000孙·某 a_b/c.d—e [f]')).toBe('13812345678孙某abcdef');
    expect(compact('已于10月9日更换站牌。')).toBe('已于10月9日更换站牌。');
  });
});

describe('《中华人民共和国个人信息保护法》第十条 the reporter’s phone number, however it is written', () => {
  it.each([
    ['《个人信息保护法》: plain', '反映人电话13812345678。', REPORTER],
    ['《个人信息保护法》: full-width digits', '反映人电话１３８１２３４５６７８。', REPORTER],
    ['《个人信息保护法》: dots', '回拨137.0000.2222未接通。', { phone: '13700002222' }],
    ['《个人信息保护法》: spaces', '联系电话 138 1234 5678', REPORTER],
    ['《个人信息保护法》: ideographic spaces', '联系电话１３８　１２３４　５６７８', REPORTER],
    ['《个人信息保护法》: hyphens', '联系电话138-1234-5678', REPORTER],
    ['《个人信息保护法》: en and em dashes', '联系电话138–1234—5678', REPORTER],
    ['《个人信息保护法》: country code in the text', '来电号码+86 138 1234 5678', REPORTER],
    ['《个人信息保护法》: country code in the record', '来电号码13812345678', { phone: '+86 138-1234-5678' }],
    ['《个人信息保护法》: 0086 in the text', '来电号码0086-13812345678', REPORTER],
    ['《个人信息保护法》: parentheses', '来电号码（138）12345678', REPORTER],
    ['《个人信息保护法》: slashes and underscores', '来电号码138/1234_5678', REPORTER],
    ['《个人信息保护法》: run into the next number', '反映人13812345678 10月8日来电', REPORTER],
    ['《个人信息保护法》: a landline with and without area code', '联系电话(022)2345-6789', { phone: '022-23456789' }],
    ['《个人信息保护法》: a landline written with +86 and no trunk 0', '联系电话+86 22 2345 6789', { phone: '022-23456789' }],
  ])('%s', (_, text, reporter) => {
    expect(reporterIdentityIn(text, reporter)).toBe(true);
  });

  it.each([
    ['《个人信息保护法》: another mobile number', '工作人员电话13812345679。'],
    ['《个人信息保护法》: the unit’s own 022 number', '市道路运输局工作人员张伟（022-23456789）与反映人联系。'],
    ['《个人信息保护法》: a part of the number only', '尾号5678的车辆'],
    ['《个人信息保护法》: an amount', '退还车费138元，罚款1234元。'],
  ])('%s', (_, text) => {
    expect(reporterIdentityIn(text, REPORTER)).toBe(false);
  });

  it('《个人信息保护法》: a phone of fewer than 7 digits is not looked for', () => {
    expect(reporterIdentityIn('罚款200元', { phone: '200' })).toBe(false);
    expect(reporterIdentityIn('联系电话12345678', { phone: '' })).toBe(false);
  });
});

describe('《中华人民共和国个人信息保护法》第十条 the reporter’s name', () => {
  it.each([
    ['《个人信息保护法》: as written', '孙某反映的问题已处理。'],
    ['《个人信息保护法》: with a space', '经与孙 某核实'],
    ['《个人信息保护法》: with an ideographic space', '经与孙　某核实'],
    ['《个人信息保护法》: with a middle dot', '经与孙·某核实'],
  ])('%s', (_, text) => {
    expect(reporterIdentityIn(text, REPORTER)).toBe(true);
  });

  it.each([
    ['《个人信息保护法》: a street sharing one character of the name', '孙庄子路口站牌已更换。', { name: '孙某' }],
    ['《个人信息保护法》: a street sharing one character of a two-character name', '芳草路井盖已更换。', { name: '王芳' }],
    ['《个人信息保护法》: a one-character name is not looked for', '王师傅已致歉。', { name: '王' }],
    ['《个人信息保护法》: no name, no phone (anonymous)', '孙某反映的问题已处理。', { name: null, phone: null }],
  ])('%s', (_, text, reporter) => {
    expect(reporterIdentityIn(text, reporter)).toBe(false);
  });

  it('《个人信息保护法》: a Latin name matches whatever its case and spacing', () => {
    expect(reporterIdentityIn('已联系 JOHN SMITH', { name: 'John Smith' })).toBe(true);
  });
});

describe('《中华人民共和国个人信息保护法》第十条 checkNoReporterIdentity', () => {
  it('《个人信息保护法》: clean fields pass', () => {
    expect(checkNoReporterIdentity({ text: '工作人员张伟（022-23456789）已于10月9日更换站牌。', staffPhone: '022-23456789' }, REPORTER)).toEqual({ ok: true });
  });

  it('《个人信息保护法》: every field quoting the reporter, by its dotted path, nested objects and arrays included', () => {
    const verdict = checkNoReporterIdentity(
      {
        text: '已与孙 某电话联系（１３８１２３４５６７８）。',
        reply: { process: '回拨138-1234-5678', result: '已退款', attachments: [{ note: '无' }, { note: '孙某签收' }] },
        at: new Date('2026-10-09T06:00:00Z'),
        count: 13812345678,
        flag: null,
      },
      REPORTER,
    );
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.violations.map((v) => [v.field, v.rule, v.article])).toEqual([
      ['text', 'privacy.reporter-identity', PIPL],
      ['reply.process', 'privacy.reporter-identity', PIPL],
      ['reply.attachments.1.note', 'privacy.reporter-identity', PIPL],
    ]);
    expect(verdict.violations[0]!.reason).toContain('姓名和联系电话');
    expect(verdict.violations[1]!.reason).toContain('联系电话');
    expect(verdict.violations[2]!.reason).toMatch(/^不得.*反映人的姓名/);
  });

  it('《个人信息保护法》: an anonymous reporter has nothing to match', () => {
    expect(checkNoReporterIdentity({ text: '孙某 13812345678' }, { name: null, phone: null })).toEqual({ ok: true });
  });
});
