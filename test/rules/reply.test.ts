import { analyseReply, checkReply, complaintKeywords, platformReplyText, replyClaims, type ReplyContext, type ReplyDraft } from '../../rules/reply';
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
/** A full account without any result: a structured result is then sent to the platform (and read) with it. */
const NO_RESULT = TIME + STAFF + PHONE + CONTACT + PROCESS + FEEDBACK;

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

  it('第十六条(四): a structured result of 已解决 is sent when the text states no result, and refused there', () => {
    expect(rules(checkReply({ text: NO_RESULT, result: '已解决' }))).toEqual(['第十六条(四) reply.closing-phrase']);
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
    expect(rules(checkReply({ text: NO_RESULT, result: '好的' }))).toEqual(['第十六条(二) reply.vague-result']);
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
    const fields: ReplyDraft = { text: NO_RESULT, result: '经核实，该事项不属于我局职责范围，建议向区交通局反映' };
    expect(rules(checkReply(fields))).toContain('第十六条(三) reply.return-reason-as-result');
    expect(rules(checkReply({ text: NO_RESULT, result: reason }, { returnReasons: [reason] }))).toContain('第十六条(三) reply.return-reason-as-result');
  });

  it('第十六条(四)(五): a closing phrase or a transfer in the structured result field is no result', () => {
    expect(rules(checkReply({ text: NO_RESULT, result: '问题已解决，已告知相关政策' }))).toContain('第十六条(四) reply.closing-phrase');
    expect(rules(checkReply({ text: NO_RESULT, result: '已转市道路运输局客运处处理' }))).toContain('第十六条(五) reply.transferred');
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

describe('第十六条(一) what the platform receives (platformReplyText)', () => {
  const FIELDS: ReplyDraft = {
    contactedAt: sh('2026-10-09 14:30'),
    staffName: '张伟',
    staffPhone: '022-23456789',
    process: '调取车辆GPS轨迹和行车记录仪视频核实',
    result: '对涉事驾驶员罚款200元，扣减企业服务质量信誉考核分。',
    reporterFeedback: '满意',
  };

  it('第十六条(一): the structured fields become sentences, in the order of (一)', () => {
    expect(platformReplyText(FIELDS)).toBe(
      '联系时间：2026年10月9日14时30分。承办人员：张伟，联系电话：022-23456789。处理过程：调取车辆GPS轨迹和行车记录仪视频核实。' +
        '办理结果：对涉事驾驶员罚款200元，扣减企业服务质量信誉考核分。群众反馈：满意。',
    );
  });

  it('第十六条(一): the free text comes first, closed by 。 when it is not', () => {
    expect(platformReplyText({ ...FIELDS, text: '  您反映的出租车拒载问题办理情况如下 ' })).toMatch(/^您反映的出租车拒载问题办理情况如下。联系时间：/);
    expect(platformReplyText({ text: '已于10月9日更换站牌！', reporterFeedback: '表示满意。' })).toBe('已于10月9日更换站牌！群众反馈：表示满意。');
  });

  it('第十六条(一): the contact time is Asia/Shanghai wall time (UTC+8), whatever the instant’s own zone', () => {
    expect(platformReplyText({ contactedAt: new Date('2026-11-28T02:30:00Z') })).toBe('联系时间：2026年11月28日10时30分。');
    expect(platformReplyText({ contactedAt: new Date('2026-12-31T16:05:59Z') })).toBe('联系时间：2027年1月1日0时05分。');
    expect(platformReplyText({ contactedAt: new Date(Number.NaN) })).toBe('');
  });

  it('第十六条(一): what the free text already states is not repeated from the fields', () => {
    expect(platformReplyText({ ...FIELDS, text: FULL })).toBe(FULL);
    expect(platformReplyText({ text: PHONE + PROCESS + RESULT + FEEDBACK, staffName: '张伟', staffPhone: '13900001111' })).toBe(
      `${PHONE + PROCESS + RESULT + FEEDBACK}承办人员：张伟。`,
    );
  });

  it('第十六条(一): pure — the same draft gives the same text and is not changed', () => {
    const draft = { ...FIELDS, text: '办理情况如下' };
    const copy = structuredClone(draft);
    expect(platformReplyText(draft)).toBe(platformReplyText(copy));
    expect(draft).toEqual(copy);
  });

  it('第十六条(一): the check reads the platform text, and the analysis shows it', () => {
    const draft = { ...FIELDS, text: '您反映的问题办理情况如下' };
    expect(checkReply(draft)).toEqual({ ok: true });
    const a = analyseReply(draft);
    expect(a.platformText).toBe(platformReplyText(draft));
    expect(a.elements.staff).toEqual({ present: true, from: 'field' });
    expect(a.elements.result).toMatchObject({ present: true, from: 'field' });
  });

  it('第十六条(一): a structured field that states nothing does not make the element present', () => {
    const draft: ReplyDraft = { ...FIELDS, text: '已于10月9日更换站牌', process: '无', reporterFeedback: '暂无', staffName: '无' };
    expect(rules(checkReply(draft))).toEqual(['第十六条(一) reply.missing.staff', '第十六条(一) reply.missing.process', '第十六条(一) reply.missing.feedback']);
  });

  it('第十六条(一): a structured result the text already states is not sent, and so not read', () => {
    expect(platformReplyText({ text: FULL, result: '已解决' })).toBe(FULL);
    expect(checkReply({ text: FULL, result: '已解决' })).toEqual({ ok: true });
  });

  it('第十六条(一): a label in the free text states the element like the composed sentence does', () => {
    const text = `${TIME}工作人员张伟（13900001111）致电反映人。处理过程：与涉事企业负责人面谈。办理结果：为反映人补开发票并邮寄到家。群众反馈：认可。`;
    expect(checkReply({ text })).toEqual({ ok: true });
  });
});

describe('第十六条(一) a concrete result is a measure taken, with or without 已', () => {
  const account = (result: string) => `${TIME}${STAFF}${PHONE}${CONTACT}${PROCESS}${result}${FEEDBACK}`;

  it.each([
    ['第十六条(一): 当面致歉，并在站台增设2名引导员', '工作人员王芳（022-28765432）于11月28日14时当面向反映人致歉，并在站台增设2名引导员疏导客流，反映人表示认可。'],
    ['第十六条(一): 于…将破损站牌更换为新站牌', '工作人员于10月9日将破损站牌更换为新站牌。'],
    ['第十六条(一): 当场退还车费并赔礼道歉', '驾驶员当场退还车费并赔礼道歉。'],
    ['第十六条(一): 停岗培训 of the driver the complaint was about', '对拒载驾驶员停岗培训3天，于10月10日执行。'],
    ['第十六条(一): a complaint found unfounded (未发现…行为)', '调取车载监控，未发现甩站行为。'],
  ])('%s', (_, result) => {
    const text = result.includes('反映人表示认可') ? `${TIME}${STAFF}${PHONE}${CONTACT}${PROCESS}${result}` : account(result);
    expect(checkReply({ text })).toEqual({ ok: true });
  });

  it.each([
    ['第十六条(一): a request is no measure (反映人要求增设)', '反映人要求增设引导员。'],
    ['第十六条(一): a plan is no measure (计划…增设)', '计划于12月底增设站牌。'],
    ['第十六条(一): a negation is no measure (尚未更换)', '该站牌至今尚未更换。'],
    ['第十六条(一): the future is no measure (下周将增设)', '下周将增设2名引导员。'],
  ])('%s', (_, result) => {
    expect(check(account(result))).toEqual(['第十六条(一) reply.missing.result']);
  });
});

describe('第十六条(三) a return ground as the result, even in a complete account', () => {
  const account = (result: string) => `${TIME}${STAFF}${PHONE}${CONTACT}经核实，${result}反映人表示理解。`;
  it.each([
    ['第十六条(三): 不属于我委职责 (the regulation’s own 我委)', '该事项不属于我委职责，请向所在区住建委反映。'],
    ['第十六条(三): 非本单位职责', '该事项非本单位职责。'],
    ['第十六条(三): 不属于本单位职能', '汽车维修质量纠纷不属于本单位职能。'],
    ['第十六条(三): 不归我们管', '这个不归我们管。'],
    ['第十六条(三): 不是我们的职责', '小区停车收费不是我们的职责。'],
    ['第十六条(三): 信息不全', '因工单信息不全，不能依据已有信息进行判断。'],
    ['第十六条(三): 无法核实', '反映人未提供车牌号，无法核实涉事车辆。'],
    ['第十六条(三): 地址不详', '反映人所述路段地址不详。'],
    ['第十六条(三): 请向…反映', '请向区城市管理委员会反映。'],
    ['第十六条(三): 建议您到…咨询', '建议您到区市场监管局咨询。'],
    ['第十六条(三): 请自行向法院起诉', '该纠纷属合同纠纷，请自行向法院起诉。'],
    ['第十六条(三): 告知其可到法院起诉 (looks like an answer)', '告知其可到和平区人民法院起诉解决。'],
    ['第十六条(三): 通过司法途径解决', '建议反映人通过司法途径解决。'],
    ['第十六条(三): 应由…负责', '该问题应由属地街道负责。'],
  ])('%s', (_, result) => {
    expect(check(account(result))).toEqual(['第十六条(三) reply.return-reason-as-result']);
  });

  it('第十六条(三): a ground for part of the matter beside a concrete result for our part is fine', () => {
    const text = account('该路段停车收费不属于我委职责，已告知其向区城管委反映；涉事出租车违停问题，执法总队已对其罚款200元。');
    expect(checkReply({ text })).toEqual({ ok: true });
  });

  it('第十六条(三): unverifiable details beside a concrete result are fine', () => {
    expect(checkReply({ text: account('因无监控，无法核实司机是否绕路，已按计价器金额为反映人退还差价15元。') })).toEqual({ ok: true });
  });
});

describe('第十六条(二) 文不对题 from the complaint keywords (the workflow holds no complaint text)', () => {
  const complaint =
    '孙 建国（身份证号12010419800101123X，电话１３８１２３４５６７８）反映：11月27日晚在天津西站乘坐津B12345出租车，孙先生称司机拒载并辱骂，希望严肃处理。';
  const reporter = { name: '孙建国', phone: '13812345678' };
  const keywords = complaintKeywords(complaint, reporter);
  const answered = `${TIME}${STAFF}${PHONE}${CONTACT}经调取西站调度站监控核实，涉事出租车驾驶员拒载属实，已对其处以罚款500元。${FEEDBACK}`;
  const offTopic = `${TIME}${STAFF}${PHONE}${CONTACT}经现场检查，该路段路灯已于10月9日修复。${FEEDBACK}`;

  it('第十六条(二): at most 12 topical keywords, the subjects of the hotlines first', () => {
    expect(keywords.length).toBeGreaterThan(0);
    expect(keywords.length).toBeLessThanOrEqual(12);
    expect(keywords.slice(0, 4)).toEqual(['出租车', '司机', '拒载', '辱骂']);
  });

  it('《中华人民共和国个人信息保护法》: the keywords carry no personal data (no digits, no name, no ID number)', () => {
    const all = keywords.join(' ');
    expect(all).not.toMatch(/[0-9０-９]/);
    expect(all).not.toMatch(/[A-Za-z]/);
    for (const k of keywords) expect('孙建国孙先生'.includes(k) || k.includes('孙')).toBe(false);
    expect(complaintKeywords('孙建国反映孙建国家门口的公交站牌被撞倒。', { name: '孙建国' })).not.toContain('孙建国');
  });

  it('第十六条(二): a reply sharing none of the keywords is off-topic; one that answers passes', () => {
    expect(rules(checkReply({ text: offTopic }, { complaintKeywords: keywords }))).toEqual(['第十六条(二) reply.off-topic']);
    expect(checkReply({ text: answered }, { complaintKeywords: keywords })).toEqual({ ok: true });
  });

  it('第十六条(二): overlap of a bigram is enough (出租车 / 出租汽车), after normalisation', () => {
    const reply = `${TIME}${STAFF}${PHONE}${CONTACT}经核实，涉事出租汽车公司已对驾驶员停岗培训3天。${FEEDBACK}`;
    expect(checkReply({ text: reply }, { complaintKeywords: ['出租车', '绕道', '多收'] })).toEqual({ ok: true });
    expect(checkReply({ text: reply.replace('出租汽车', 'ＸＸ') }, { complaintKeywords: ['出租车', '绕道', '多收'] })).not.toEqual({ ok: true });
  });

  it('第十六条(二): too few topical keywords to judge by', () => {
    expect(checkReply({ text: offTopic }, { complaintKeywords: ['问题', '反映'] })).toEqual({ ok: true });
    expect(checkReply({ text: offTopic }, { complaintKeywords: [] })).toEqual({ ok: true });
  });
});

describe('第十九条(三) an anonymous reporter', () => {
  const anonymous = `${STAFF}${PHONE}于10月9日赴现场核查，站台候车亭顶棚破损属实，已于10月10日更换顶棚。`;

  it('第十九条(三): no contact time and no feedback are demanded when the reporter is anonymous', () => {
    expect(checkReply({ text: anonymous }, { reporterAnonymous: true })).toEqual({ ok: true });
    expect(rules(checkReply({ text: anonymous }))).toEqual(['第十六条(一) reply.missing.contactTime', '第十六条(一) reply.missing.feedback']);
  });

  it('第十九条(三): the staff, their number, the process and the result still are', () => {
    expect(rules(checkReply({ text: '已于10月10日更换顶棚。' }, { reporterAnonymous: true }))).toEqual([
      '第十六条(一) reply.missing.staff',
      '第十六条(一) reply.missing.phone',
      '第十六条(一) reply.missing.process',
    ]);
    expect(rules(checkReply({ text: `${STAFF}${PHONE}经核实，已按规定处理。` }, { reporterAnonymous: true }))).toEqual(['第十六条(二) reply.vague-result']);
  });

  it('第十六条(六): a template is still one when the reporter is anonymous', () => {
    expect(rules(checkReply({ text: `${anonymous}感谢您对交通运输工作的支持。` }, { reporterAnonymous: true }))).toEqual([]);
    expect(rules(checkReply({ text: '已与您取得联系……' }, { reporterAnonymous: true }))).toContain('第十六条(六) reply.template');
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
