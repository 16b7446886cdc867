import { analyseReply, checkReply, replyClaims, type ReplyContext, type ReplyDraft } from '../../rules/reply';
import type { Verdict } from '../../rules/types';
import { sh } from './support';

const rules = (v: Verdict) => (v.ok ? [] : v.violations.map((x) => `${x.article} ${x.rule}`));
const check = (text: string, context?: ReplyContext) => rules(checkReply({ text }, context));

const TIME = '2026年10月9日14时30分，';
const STAFF = '市道路运输局工作人员张伟';
const PHONE = '（联系电话：022-23456789）';
const CONTACT = '与反映人电话联系。';
const PROCESS = '经核实，反映人于10月8日乘坐津B12345出租车时遭拒载属实。';
const RESULT = '我局已对涉事驾驶员作出罚款200元的行政处罚，并责令所属企业加强驾驶员教育。';
const SOLVED = '问题已解决，';
const FEEDBACK = '反映人表示满意。';
const FULL = TIME + STAFF + PHONE + CONTACT + PROCESS + RESULT + SOLVED + FEEDBACK;

const MISSING_ALL_BUT_RESULT = [
  '第十六条(一) reply.missing.contactTime',
  '第十六条(一) reply.missing.staff',
  '第十六条(一) reply.missing.phone',
  '第十六条(一) reply.missing.process',
  '第十六条(一) reply.missing.feedback',
];

describe('第十六条 a complete reply passes', () => {
  it.each([
    ['第十六条(一)–(六): a full account that happens to contain 已解决', FULL],
    ['第十六条(一): full-width digits and punctuation, stray spaces', '２０２６年１０月９日 14:30，工作人员 张伟（电话 13812345678）致电反映人。经调查，该车确有绕路，已为反映人退还多收车费36元。反映人表示满意！'],
    ['第十六条(一): a consultation answered concretely (告知其：…)', '10月9日上午10点，经办人李某（022-58761234）致电反映人。经查询相关规定，告知其：办理网约车驾驶员证需携带身份证、驾驶证原件到市道路运输局政务服务窗口办理。反映人表示清楚，无其他诉求。'],
    ['第十六条(一): a consultation answered with the regulation cited', '2026-10-09 15:00，工作人员王芳（电话：23456789）与反映人联系，经了解，反映人咨询出租车投诉时限。根据《出租汽车服务质量信誉考核办法》规定，乘客投诉应在乘车后30日内提出。反映人表示理解。'],
    ['第十六条(五): a transfer followed by the final result is not a process statement', '2026年10月9日，工作人员赵磊（13900001111）与反映人联系。经核查，该问题涉及执法事项，已转市交通运输执法总队处理，执法总队于10月10日对涉事车辆作出罚款500元的处罚。反映人对处理结果表示认可。'],
    ['第十六条(六): a polite closing line in a complete reply is not a template reply', FULL + '感谢您对交通运输工作的支持。'],
    ['第十六条(一): a repair, with a site check as process', '10月9日9时，路政科刘科长（022-88889999）与反映人通话。现场核查发现该路段井盖破损，已于当日更换井盖。反映人表示满意。'],
  ])('%s', (_, text) => {
    expect(checkReply({ text })).toEqual({ ok: true });
  });

  it('第十六条(一): structured fields alone are enough', () => {
    const draft: ReplyDraft = {
      contactedAt: sh('2026-10-09 14:30'),
      staffName: '张伟',
      staffPhone: '022-23456789',
      process: '调取车辆GPS轨迹和行车记录仪视频核实',
      result: '对涉事驾驶员罚款200元，扣减企业服务质量信誉考核分',
      reporterFeedback: '满意',
    };
    expect(checkReply(draft)).toEqual({ ok: true });
  });

  it('第十六条(一): elements missing from the structured fields are found in the text', () => {
    const draft: ReplyDraft = { contactedAt: sh('2026-10-09 14:30'), staffName: '张伟', text: PHONE + PROCESS + RESULT + FEEDBACK };
    expect(checkReply(draft)).toEqual({ ok: true });
    const a = analyseReply(draft);
    expect(a.elements.contactTime.from).toBe('field');
    expect(a.elements.phone).toMatchObject({ present: true, from: 'text', evidence: '022-23456789' });
  });
});

describe('第十六条(一) each missing element is named', () => {
  it.each([
    ['第十六条(一): no contact time', FULL.replace(TIME, ''), ['第十六条(一) reply.missing.contactTime']],
    ['第十六条(一): a date that is not the contact time does not count', FULL.replace(TIME, '').replace('于10月8日', '于10月8日'), ['第十六条(一) reply.missing.contactTime']],
    ['第十六条(一): no staff member', FULL.replace(STAFF, '我局工作人员'), ['第十六条(一) reply.missing.staff']],
    ['第十六条(一): no contact number', FULL.replace(PHONE, ''), ['第十六条(一) reply.missing.phone']],
    ['第十六条(一): no handling process', FULL.replace('经核实，', ''), ['第十六条(一) reply.missing.process']],
    ['第十六条(一): no result at all', FULL.replace(RESULT, '').replace(SOLVED, ''), ['第十六条(一) reply.missing.result']],
    ['第十六条(一): no reporter feedback', FULL.replace(FEEDBACK, ''), ['第十六条(一) reply.missing.feedback']],
  ])('%s', (_, text, expected) => {
    expect(check(text)).toEqual(expected);
  });

  it('第十六条(一): a structured phone that is not a number does not count', () => {
    expect(rules(checkReply({ text: FULL.replace(PHONE, ''), staffPhone: '无' }))).toEqual(['第十六条(一) reply.missing.phone']);
  });

  it('第十六条(一): an empty reply misses all six elements', () => {
    expect(rules(checkReply({}))).toEqual([...MISSING_ALL_BUT_RESULT.slice(0, 4), '第十六条(一) reply.missing.result', '第十六条(一) reply.missing.feedback']);
  });
});

describe('第十六条(四) closing phrases instead of a result', () => {
  it.each([
    ['第十六条(四): 已解决。', '已解决。'],
    ['第十六条(四): 问题已解决', '问题已解决'],
    ['第十六条(四): 您反映的问题已得到妥善解决！', '您反映的问题已得到妥善解决！'],
    ['第十六条(四): 已经联系', '已经联系'],
    ['第十六条(四): 已与反映人联系。', '已与反映人联系。'],
    ['第十六条(四): 已电话联系反映人', '已电话联系反映人'],
    ['第十六条(四): 已告知相关政策', '已告知相关政策'],
    ['第十六条(四): 已解释相关政策', '已解释相关政策'],
    ['第十六条(四): 已向反映人解释了相关政策', '已向反映人解释了相关政策，'],
    ['第十六条(四): 已告知。', '已告知。'],
    ['第十六条(四): 问题已经得到解决', '问题已经得到解决'],
    ['第十六条(四): 已于10月9日与反映人联系', '已于10月9日与反映人联系。'],
    ['第十六条(四): 已和当事人沟通', '已和当事人沟通'],
    ['第十六条(四): 已跟反映人取得联系，已作解释', '已跟反映人取得联系，已作解释'],
  ])('%s', (_, text) => {
    expect(check(text)).toContain('第十六条(四) reply.closing-phrase');
  });

  it('第十六条(四): 已解决 as the only result of an otherwise complete account is refused', () => {
    const text = TIME + STAFF + PHONE + CONTACT + PROCESS + SOLVED + FEEDBACK;
    expect(check(text)).toEqual(['第十六条(四) reply.closing-phrase']);
  });

  it('第十六条(四): a structured result of 已解决 is refused even if the text is long', () => {
    expect(rules(checkReply({ text: FULL, result: '已解决' }))).toEqual(['第十六条(四) reply.closing-phrase']);
  });

  it('第十六条(四): 已告知相关政策 with the reporter’s feedback still lacks a result', () => {
    expect(check('已告知相关政策，反映人表示理解。')).toEqual([...MISSING_ALL_BUT_RESULT.slice(0, 4), '第十六条(四) reply.closing-phrase']);
  });
});

describe('第十六条(五) process statements, closing before handling', () => {
  it.each([
    ['第十六条(五): 已转市道路运输局处理', '已转市道路运输局处理', 'reply.transferred'],
    ['第十六条(五): 已转交执法总队处理。', '该问题已转交市交通运输执法总队处理。', 'reply.transferred'],
    ['第十六条(五): 已移交', '已移交执法总队', 'reply.transferred'],
    ['第十六条(五): 转由…处理', '转由和平区交通运输局处理', 'reply.transferred'],
    ['第十六条(五): 已转相关部门', '已转相关部门', 'reply.transferred'],
    ['第十六条(五): 正在办理中', '正在办理中', 'reply.in-progress'],
    ['第十六条(五): 正在进一步核实中', '正在进一步核实中', 'reply.in-progress'],
    ['第十六条(五): 目前正在处理', '目前正在处理，请耐心等待', 'reply.in-progress'],
    ['第十六条(五): 处理中', '处理中。', 'reply.in-progress'],
    ['第十六条(五): a promise is not a result', '我局将尽快处理。', 'reply.not-yet-handled'],
  ])('%s', (_, text, rule) => {
    expect(check(text)).toContain(`第十六条(五) ${rule}`);
  });

  it('第十六条(五): 办理中 is refused even inside an otherwise complete reply (not closing an unfinished matter)', () => {
    expect(check(FULL + '反映人提出的退费诉求正在协调中。')).toEqual(['第十六条(五) reply.in-progress']);
  });

  it('第十六条(五): no record of any handling → 未办理先办结', () => {
    expect(rules(checkReply({ text: FULL }, { handled: false }))).toEqual(['第十六条(五) reply.not-yet-handled']);
  });

  it('第十六条(五): words that merely contain 转 or 中 are not process statements', () => {
    expect(check(FULL.replace('与反映人电话联系', '与反映人电话联系，车辆运转正常').replace(RESULT, RESULT + '处理中心已备案。'))).toEqual([]);
  });
});

describe('第十六条(六) template replies', () => {
  it.each([
    ['第十六条(六): 已与您取得联系……', '已与您取得联系……'],
    ['第十六条(六): 已与您取得联系，问题已处理，感谢来电', '已与您取得联系，您反映的问题已处理，感谢您的来电。'],
    ['第十六条(六): 您反映的问题已收悉，高度重视', '您好，您反映的问题我们已收悉，我局高度重视，感谢您对交通工作的支持。'],
    ['第十六条(六): 已联系您', '我们已电话联系过您，如有疑问请再次拨打12345。'],
  ])('%s', (_, text) => {
    expect(check(text)).toContain('第十六条(六) reply.template');
  });
});

describe('第十六条(二) vague results and off-topic replies', () => {
  it.each([
    ['第十六条(二): 已按规定处理', '已按规定处理。'],
    ['第十六条(二): 已妥善处理', '经核实，已妥善处理。'],
    ['第十六条(二): 加强管理', '我局将加强管理'],
    ['第十六条(二): 已处理完毕', '已处理完毕'],
    ['第十六条(二): 已办结', '已办结。'],
  ])('%s', (_, text) => {
    expect(check(text).some((r) => r.startsWith('第十六条(二) reply.vague-result') || r.startsWith('第十六条(五)'))).toBe(true);
  });

  it('第十六条(二): a vague result inside an otherwise complete account is named as vague', () => {
    const text = TIME + STAFF + PHONE + CONTACT + PROCESS + '已按规定处理，' + FEEDBACK;
    expect(check(text)).toEqual(['第十六条(二) reply.vague-result']);
  });

  it('第十六条(二): a structured result that says nothing is vague', () => {
    expect(rules(checkReply({ text: FULL, result: '好的' }))).toEqual(['第十六条(二) reply.vague-result']);
  });

  it('第十六条(二): a reply that does not answer the complaint (文不对题)', () => {
    const complaint = '反映人称10月8日在天津站乘坐津B12345出租车，司机拒载并辱骂乘客。';
    const offTopic = '2026年10月9日，工作人员张伟（022-23456789）与反映人联系。经核实，该公交站牌已于10月9日更换新站牌。反映人表示满意。';
    expect(rules(checkReply({ text: offTopic }, { complaintText: complaint }))).toEqual(['第十六条(二) reply.off-topic']);
    expect(checkReply({ text: FULL }, { complaintText: complaint })).toEqual({ ok: true });
  });
});

describe('第十六条(三) a return reason as the result', () => {
  const reason = '该小区内部道路停车收费属于物业管理事项，建议转区住建委办理。';
  it('第十六条(三): the ticket’s own return reason repeated as the reply', () => {
    expect(rules(checkReply({ text: `经核实，${reason}` }, { returnReasons: [reason] }))).toContain('第十六条(三) reply.return-reason-as-result');
  });

  it('第十六条(三): return-ground wording as the result (不属于我局职责)', () => {
    expect(check('经核实，该事项不属于我局职责范围，建议向区交通局反映。')).toContain('第十六条(三) reply.return-reason-as-result');
  });

  it('第十六条(三): return wording in the structured result field is caught as in the text', () => {
    const fields: ReplyDraft = { text: FULL, result: '经核实，该事项不属于我局职责范围，建议向区交通局反映' };
    expect(rules(checkReply(fields))).toContain('第十六条(三) reply.return-reason-as-result');
    expect(rules(checkReply({ text: FULL, result: reason }, { returnReasons: [reason] }))).toContain('第十六条(三) reply.return-reason-as-result');
  });

  it('第十六条(四)(五): a closing phrase or a transfer in the structured result field is no result', () => {
    expect(rules(checkReply({ text: FULL, result: '问题已解决，已告知相关政策' }))).toContain('第十六条(四) reply.closing-phrase');
    expect(rules(checkReply({ text: FULL, result: '已转市道路运输局客运处处理' }))).toContain('第十六条(五) reply.transferred');
  });

  it('第十六条(三): a complete reply that mentions a division of duties next to a concrete result is fine', () => {
    expect(checkReply({ text: FULL }, { returnReasons: [reason] })).toEqual({ ok: true });
  });
});

describe('第十六条 every violation at once', () => {
  it('第十六条(一)(四)(六): a template with a closing phrase lists every rule it breaks', () => {
    expect(check('已与您取得联系，问题已解决。')).toEqual([...MISSING_ALL_BUT_RESULT, '第十六条(四) reply.closing-phrase', '第十六条(六) reply.template']);
  });

  it('第十六条: reasons are Chinese sentences naming the phrase', () => {
    const v = checkReply({ text: '已经联系' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.violations.find((x) => x.rule === 'reply.closing-phrase')?.reason).toContain('“已联系”');
  });
});

describe('第二十二条(三) what a reply claims', () => {
  it.each([
    ['第二十二条(三): a full reply claims contact and solution', { text: FULL }, { contacted: true, solved: true }],
    ['第二十二条(三): 已解决 alone claims a solution, not a contact', { text: '问题已解决' }, { contacted: false, solved: true }],
    ['第二十二条(三): 已联系 alone claims a contact', { text: '已经联系' }, { contacted: true, solved: false }],
    ['第二十二条(三): a structured contact time claims a contact', { contactedAt: sh('2026-10-09 10:00'), result: '已修复路灯' }, { contacted: true, solved: true }],
  ] as [string, ReplyDraft, { contacted: boolean; solved: boolean }][])('%s', (_, draft, claims) => {
    expect(replyClaims(draft)).toEqual(claims);
  });
});
