/*
 * 便民服务热线月度看板: the division's month (第二十四条–第三十二条) on one page. Every figure and list comes from the
 * /api/v1 routes with the signed-in user's bearer token, so the page shows exactly what those routes let the user
 * see (a unit's leader their own unit, 委政务服务处 every unit). No inline script (the API's CSP forbids it); every
 * value is written as text, never as HTML.
 */
'use strict';

(function () {
  var TOKEN_KEY = 'hotline.dashboard.token';
  var state = { token: null, me: null, config: null, month: null, charts: [] };

  // ---------------------------------------------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------------------------------------------

  /** An element with attributes and children (strings become text nodes, never HTML). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(el, c); });
    else el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  function app() { return document.getElementById('app'); }
  function show() {
    disposeCharts();
    var root = app();
    root.textContent = '';
    for (var i = 0; i < arguments.length; i++) append(root, arguments[i]);
  }
  function disposeCharts() {
    state.charts.forEach(function (c) { c.dispose(); });
    state.charts = [];
  }

  /** A rate as the statistics' CSV writes it: a percentage to two decimals, or — when there is nothing to divide. */
  function pct(rate) {
    return rate && rate.value !== null && rate.value !== undefined ? (rate.value * 100).toFixed(2) + '%' : '—';
  }
  var TZ = 'Asia/Shanghai';
  function dateTime(iso) {
    if (!iso) return '—';
    var d = new Date(iso);
    var f = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    return f.format(d);
  }
  /**
   * A deadline: the end of a day reads as that day's 24:00 (a due time of 00:00 is the end of the day before it, and
   * 23:59:59.999 the end of its own day), anything else as it is.
   */
  function deadline(iso) {
    if (!iso) return '—';
    var t = new Date(iso).getTime();
    var hm = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(t));
    if (hm === '00:00:00' || hm === '23:59:59') {
      var day = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t - 1000));
      return day + ' 24:00';
    }
    return dateTime(iso);
  }
  function thisMonth() {
    var parts = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit' }).formatToParts(new Date());
    var y = parts.find(function (p) { return p.type === 'year'; }).value;
    var m = parts.find(function (p) { return p.type === 'month'; }).value;
    return y + '-' + m;
  }
  function previousMonth(month) {
    var y = Number(month.slice(0, 4));
    var m = Number(month.slice(5, 7)) - 1;
    if (m === 0) { y -= 1; m = 12; }
    return y + '-' + String(m).padStart(2, '0');
  }
  function monthName(month) { return Number(month.slice(0, 4)) + '年' + Number(month.slice(5, 7)) + '月'; }
  function name(map, key) { return (map && map[key]) || key; }

  function ApiError(status, body) {
    this.status = status;
    this.body = body;
    this.message = (body && (body.detail || body.title)) || 'HTTP ' + status;
  }

  /** GET /api/v1<path> with the user's token; a 401 signs the user out. */
  function api(path) {
    return fetch('/api/v1' + path, { headers: { Authorization: 'Bearer ' + state.token, Accept: 'application/json' } }).then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (res.status === 401) {
          signOut('登录已失效或令牌无效，请重新登录（' + ((body && body.detail) || '401') + '）');
          throw new ApiError(401, body);
        }
        if (!res.ok) throw new ApiError(res.status, body);
        return body;
      });
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sign-in
  // ---------------------------------------------------------------------------------------------------------------

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.me = null;
    document.getElementById('who').hidden = true;
    signInView(message);
  }

  function signInView(message) {
    var tokenForm = h('form', { class: 'sign-in card', id: 'sign-in', onsubmit: function (e) {
      e.preventDefault();
      var token = document.getElementById('token').value.trim().replace(/^Bearer\s+/i, '');
      if (!token) return;
      signIn(token);
    } },
      h('h2', { text: '登录' }),
      h('p', { class: 'note', text: '本看板供委政务服务处和各单位分管领导使用。请粘贴本人的访问令牌（Bearer token）。' }),
      h('label', { for: 'token', text: '访问令牌' }),
      h('textarea', { id: 'token', rows: 4, autocomplete: 'off', spellcheck: 'false', required: true }),
      h('button', { type: 'submit', id: 'sign-in-submit', text: '登录' }),
    );
    var parts = [message ? h('p', { class: 'error', id: 'sign-in-error', role: 'alert', text: message }) : null, h('section', { class: 'card' }, tokenForm)];
    var cfg = state.config;
    if (cfg && cfg.devSignIn) {
      var unitSelect = h('select', { id: 'dev-unit' }, cfg.units.map(function (u) { return h('option', { value: u.id, text: u.name + '（' + u.id + '）' }); }));
      var roleSelect = h('select', { id: 'dev-role' },
        h('option', { value: 'leader', text: '单位分管领导（leader）' }),
        h('option', { value: 'supervisor', text: '委政务服务处督办人员（supervisor）' }),
        h('option', { value: 'admin', text: '委政务服务处管理员（admin）' }),
      );
      parts.push(h('section', { class: 'card' }, h('form', { class: 'sign-in', id: 'dev-sign-in', onsubmit: function (e) {
        e.preventDefault();
        fetch('/dashboard/dev-sign-in', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ unit: unitSelect.value, roles: [roleSelect.value] }) })
          .then(function (res) { return res.json().then(function (b) { if (!res.ok) throw new ApiError(res.status, b); return b; }); })
          .then(function (b) { signIn(b.token); })
          .catch(function (err) { signInView('开发登录失败：' + err.message); });
      } },
        h('h2', { text: '开发登录（仅限本地运行）' }),
        h('p', { class: 'note', text: '使用 npm run token 的密钥签发令牌；生产环境不提供此登录方式。' }),
        h('label', { for: 'dev-unit', text: '单位' }), unitSelect,
        h('label', { for: 'dev-role', text: '身份' }), roleSelect,
        h('button', { type: 'submit', id: 'dev-sign-in-submit', text: '开发登录' }),
      )));
    }
    show(parts);
  }

  function signIn(token) {
    state.token = token;
    api('/me').then(function (me) {
      sessionStorage.setItem(TOKEN_KEY, token);
      state.me = me;
      route();
    }, function (err) {
      if (err.status !== 401) signOut('登录失败：' + err.message);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Routing: #/ the month, #/ticket/<no> a ticket's detail; ?month=YYYY-MM the month shown
  // ---------------------------------------------------------------------------------------------------------------

  function route() {
    if (!state.me) return signInView();
    var me = state.me;
    document.getElementById('who').hidden = false;
    document.getElementById('who-name').textContent = (me.unitName || me.unitId) + ' · ' + (me.name || me.userId) + ' · ' + me.roles.map(function (r) { return name(state.config.roleNames, r); }).join('、');
    var monthInput = document.getElementById('month');
    monthInput.value = state.month;
    if (!me.seesAllUnits && me.roles.indexOf('leader') < 0) {
      return show(h('section', { class: 'card', id: 'not-for-you' }, h('h2', { text: '无权查看' }), h('p', { text: '本看板供委政务服务处和各单位分管领导使用（第二十四条）。请使用领导或委政务服务处的账号登录。' })));
    }
    var m = /^#\/ticket\/(.+)$/.exec(location.hash);
    if (m) return ticketView(decodeURIComponent(m[1]));
    return monthView();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The month
  // ---------------------------------------------------------------------------------------------------------------

  /** The table's columns: a header, the figure's path (data-field), and its cell. */
  var COLUMNS = [
    ['受理工单数', 'received', function (f) { return f.received; }],
    ['按时接单数', 'acceptance.onTime', function (f) { return f.acceptance.onTime; }],
    ['响应率', 'threeRates.response', function (f) { return pct(f.threeRates.response); }],
    ['应办结数', 'closure.toClose', function (f) { return f.closure.toClose; }],
    ['办结数', 'closure.closed', function (f) { return f.closure.closed; }],
    ['办结率', 'threeRates.completion', function (f) { return pct(f.threeRates.completion); }],
    ['按时办结率', 'closure.onTimeRate', function (f) { return pct(f.closure.onTimeRate); }],
    ['超时工单数', 'overdue.tickets', function (f) { return f.overdue.tickets; }],
    ['退单数', 'returns.total', function (f) { return f.returns.total; }],
    ['退单被退回', 'returns.refused', function (f) { return f.returns.refused; }],
    ['批准延期', 'extensions.approved', function (f) { return f.extensions.approved; }],
    ['重新办理', 'reopens.reopens', function (f) { return f.reopens.reopens; }],
    ['督办件', 'supervision.cases', function (f) { return f.supervision.cases; }],
    ['评价数', 'ratings.rated', function (f) { return f.ratings.rated; }],
    ['满意率', 'threeRates.satisfaction', function (f) { return pct(f.threeRates.satisfaction); }],
    ['申诉/成立', 'appeals', function (f) { return f.appeals.filed + '/' + f.appeals.upheld; }],
  ];

  function figuresTable(report) {
    var rows = report.units.map(function (u) { return [u, u.unitId]; });
    if (report.total) rows.push([report.total, 'total']);
    return h('div', { class: 'scroll' }, h('table', { id: 'figures' },
      h('thead', null, h('tr', null, h('th', { text: '单位' }), COLUMNS.map(function (c) { return h('th', { text: c[0] }); }))),
      h('tbody', null, rows.map(function (r) {
        return h('tr', { 'data-unit': r[1], class: r[1] === 'total' ? 'total' : null },
          h('td', { class: 'name', text: r[0].unitName }),
          COLUMNS.map(function (c) { return h('td', { 'data-field': c[1], text: String(c[2](r[0])) }); }));
      })),
    ));
  }

  function chart(id, caption) {
    return h('figure', null, h('figcaption', { text: caption }), h('div', { class: 'chart', id: id, role: 'img', 'aria-label': caption }));
  }

  function drawCharts(report) {
    if (!window.echarts) return;
    var units = report.units;
    var names = units.map(function (u) { return u.unitName; });
    var value = function (r) { return r.value === null ? null : Math.round(r.value * 10000) / 100; };
    var charts = [
      ['chart-rates', {
        tooltip: { trigger: 'axis', valueFormatter: function (v) { return v === null || v === undefined ? '—' : v + '%'; } },
        legend: { top: 0 },
        grid: { left: 40, right: 16, bottom: 60, top: 36 },
        xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0 } },
        yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
        series: [
          { name: '响应率', type: 'bar', data: units.map(function (u) { return value(u.threeRates.response); }) },
          { name: '办结率', type: 'bar', data: units.map(function (u) { return value(u.threeRates.completion); }) },
          { name: '满意率', type: 'bar', data: units.map(function (u) { return value(u.threeRates.satisfaction); }) },
        ],
      }],
      ['chart-volume', {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 40, right: 16, bottom: 60, top: 36 },
        xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: '受理', type: 'bar', data: units.map(function (u) { return u.received; }) },
          { name: '办结', type: 'bar', data: units.map(function (u) { return u.closure.closed; }) },
          { name: '超时', type: 'bar', data: units.map(function (u) { return u.overdue.tickets; }) },
          { name: '退单', type: 'bar', data: units.map(function (u) { return u.returns.total; }) },
        ],
      }],
      ['chart-returns', (function () {
        var whole = report.total || units[0];
        var grounds = whole ? Object.keys(whole.returns.byGround) : [];
        var data = grounds.map(function (g) { return { name: name(state.config.returnGroundNames, g), value: whole.returns.byGround[g].total }; }).filter(function (d) { return d.value > 0; });
        // A pie of nothing would draw equal slices: say there were no returns instead.
        if (data.length === 0) return { title: { text: '本月无退单', left: 'center', top: 'middle', textStyle: { color: '#8f959e', fontSize: 16 } } };
        return {
          tooltip: { trigger: 'item' },
          legend: { bottom: 0 },
          series: [{ name: '退单理由', type: 'pie', radius: ['35%', '65%'], data: data }],
        };
      })()],
      ['chart-supervision', (function () {
        var articles = state.config.supervisionTriggers;
        return {
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid: { left: 40, right: 16, bottom: 60, top: 36 },
          xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0 } },
          yAxis: { type: 'value', minInterval: 1 },
          series: articles.map(function (a) { return { name: a.replace('第二十二条', ''), type: 'bar', stack: 'cases', data: units.map(function (u) { return u.supervision.byTrigger[a] || 0; }) }; }),
        };
      })()],
    ];
    charts.forEach(function (c) {
      var el = document.getElementById(c[0]);
      if (!el) return;
      var instance = window.echarts.init(el, null, { renderer: 'canvas', locale: 'ZH' });
      instance.setOption(Object.assign({ animation: false, textStyle: { fontFamily: 'PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif' } }, c[1]));
      el.setAttribute('data-rendered', 'true');
      state.charts.push(instance);
    });
  }

  function ticketLink(no) { return h('a', { href: '#/ticket/' + encodeURIComponent(no), class: 'ticket-link', text: no }); }

  function ticketList(id, items, empty) {
    if (items.length === 0) return h('p', { class: 'note', id: id, text: empty });
    return h('div', { class: 'scroll' }, h('table', { id: id },
      h('thead', null, h('tr', null, ['工单编号', '承办单位', '状态', '诉求', '办理期限', '派单时间'].map(function (t) { return h('th', { text: t }); }))),
      h('tbody', null, items.map(function (t) {
        return h('tr', { 'data-ticket': t.ticketNo },
          h('td', null, ticketLink(t.ticketNo)),
          h('td', { text: t.unit && t.unit.name ? t.unit.name : t.unitId }),
          h('td', { text: name(state.config.statusNames, t.status) }),
          h('td', { class: 'name', text: t.subject || '' }),
          h('td', { class: t.overdue ? 'overdue' : null, text: dateTime(t.dueAt) }),
          h('td', { text: dateTime(t.dispatchedAt) }));
      })),
    ));
  }

  function deadlinesCard(filings, packages, prev) {
    var d = filings.deadlines;
    var rows = [d.knowledgeBase, d.training].map(function (x) { return [x.report + '（' + monthName(x.assessmentMonth) + '）', x, x.article]; });
    var pkgDue = packages.length > 0 ? packages[0].dueAt : null;
    var notFiled = filings.notFiled.map(function (f) {
      return { unit: name(state.unitNames, f.unitId), what: f.kind === 'training' ? d.training.report : d.knowledgeBase.report, dueAt: f.dueAt, overdue: f.overdue };
    }).concat(packages.filter(function (p) { return p.status !== 'submitted'; }).map(function (p) {
      return { unit: name(state.unitNames, p.unitId), what: monthName(prev) + '申诉材料', dueAt: p.dueAt, overdue: p.late || new Date(p.dueAt) < new Date() };
    }));
    return h('section', { class: 'card', id: 'deadlines-card' },
      h('h2', { text: '本月报送期限' }),
      h('table', { id: 'deadlines' },
        h('thead', null, h('tr', null, ['事项', '截止时间', '依据'].map(function (t) { return h('th', { text: t }); }))),
        h('tbody', null,
          rows.map(function (r) { return h('tr', null, h('td', { class: 'name', text: r[0] }), h('td', { text: deadline(r[1].dueAt) + (r[1].moved === 'earlier' ? '（遇节假日提前）' : r[1].moved === 'later' ? '（遇节假日顺延）' : '') }), h('td', { text: r[2] })); }),
          h('tr', null, h('td', { class: 'name', text: monthName(prev) + '申诉材料（领导签字、加盖公章）' }), h('td', { text: pkgDue ? deadline(pkgDue) : '上月无申诉，无需报送' }), h('td', { text: '第二十八条' })),
        )),
      h('h3', { text: '尚未报送' }),
      notFiled.length === 0 ? h('p', { class: 'note', id: 'not-filed', text: '均已报送。' }) : h('table', { id: 'not-filed' },
        h('thead', null, h('tr', null, ['单位', '事项', '截止时间', '状态'].map(function (t) { return h('th', { text: t }); }))),
        h('tbody', null, notFiled.map(function (f) {
          return h('tr', null, h('td', { class: 'name', text: f.unit }), h('td', { text: f.what }), h('td', { text: deadline(f.dueAt) }), h('td', { class: f.overdue ? 'overdue' : null, text: f.overdue ? '已逾期' : '未报送' }));
        }))),
    );
  }

  function candidatesCard(c) {
    var body = c.candidates.length === 0 ? h('p', { class: 'note', text: '本月没有单位达到通报批评情形。' }) : c.candidates.map(function (u) {
      return h('div', { class: 'candidate', 'data-unit': u.unitId },
        h('h3', { text: u.unitName }),
        h('ul', { class: 'criteria' }, u.criteria.map(function (f) {
          return h('li', null, f.article + '：' + f.reason + (f.threshold !== null ? '（' + f.count + '，阈值' + f.threshold + '）' : ''),
            f.tickets.length ? h('div', null, '涉及工单：', f.tickets.map(function (no, i) { return [i ? '、' : '', ticketLink(no)]; })) : null);
        })));
    });
    return h('section', { class: 'card', id: 'candidates' }, h('h2', { text: '通报批评候选（第二十四条）' }), h('p', { class: 'note', text: '由委政务服务处审核后决定是否通报。' }), body);
  }

  function monthView() {
    var month = state.month;
    var prev = previousMonth(month);
    var me = state.me;
    var canSeeCandidates = me.seesAllUnits && (me.roles.indexOf('supervisor') >= 0 || me.roles.indexOf('admin') >= 0);
    show(h('p', { class: 'loading', text: '正在加载' + monthName(month) + '的数据……' }));
    var open = '&status=dispatched,accepted,assigned,contacted,reply-drafted,reply-approved,returned';
    Promise.all([
      api('/statistics?month=' + month),
      api('/tickets?overdue=true&limit=200&sort=dueAt' + open),
      api('/tickets?supervised=true&limit=200&sort=dueAt' + open),
      api('/filings?month=' + month),
      api('/appeal-packages?month=' + prev + '&limit=200'),
      canSeeCandidates ? api('/circulars/candidates?month=' + month) : Promise.resolve(null),
    ]).then(function (r) {
      var report = r[0];
      state.unitNames = {};
      report.units.forEach(function (u) { state.unitNames[u.unitId] = u.unitName; });
      show(
        h('section', { class: 'card', id: 'statistics' },
          h('h2', { text: monthName(month) + '工单办理情况' }),
          h('p', { class: 'note', text: '统计期间 ' + report.period.from + ' 至 ' + report.period.to + '，截至 ' + dateTime(report.asOf) + '。' + report.basis.tickets + '；' + report.basis.cases + '。' }),
          figuresTable(report),
          h('p', { class: 'note' }, h('a', { href: '#', id: 'csv', onclick: function (e) { e.preventDefault(); downloadCsv(month); }, text: '下载 CSV（Excel 可直接打开）' }))),
        h('section', { class: 'card' }, h('h2', { text: '图表' }), h('div', { class: 'charts' },
          chart('chart-rates', '三率（响应率、办结率、满意率）'),
          chart('chart-volume', '工单量：受理、办结、超时、退单'),
          chart('chart-returns', '退单理由'),
          chart('chart-supervision', '督办件（按第二十二条督办情形）'))),
        h('div', { class: 'grid2' },
          h('section', { class: 'card' }, h('h2', { text: '超时未办结工单' }), ticketList('overdue', r[1].items, '没有超时未办结的工单。')),
          h('section', { class: 'card' }, h('h2', { text: '督办中的工单' }), ticketList('supervised', r[2].items, '没有督办中的工单。'))),
        deadlinesCard(r[3], r[4].items, prev),
        r[5] ? candidatesCard(r[5]) : null,
      );
      drawCharts(report);
      document.body.setAttribute('data-ready', 'month');
    }, failed);
  }

  function downloadCsv(month) {
    fetch('/api/v1/statistics?month=' + month + '&format=csv', { headers: { Authorization: 'Bearer ' + state.token } })
      .then(function (res) { if (!res.ok) throw new ApiError(res.status, null); return res.blob(); })
      .then(function (blob) {
        var a = h('a', { href: URL.createObjectURL(blob), download: '便民服务热线统计-' + month + '.csv' });
        document.body.appendChild(a);
        a.click();
        a.remove();
      }, failed);
  }

  function failed(err) {
    if (err && err.status === 401) return;
    show(h('section', { class: 'card', id: 'failed' }, h('h2', { class: 'error', text: '加载失败' }), h('p', { text: (err && err.status ? err.status + '：' : '') + ((err && err.message) || String(err)) })));
    document.body.setAttribute('data-ready', 'failed');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // A ticket
  // ---------------------------------------------------------------------------------------------------------------

  function ticketView(no) {
    show(h('p', { class: 'loading', text: '正在加载工单 ' + no + '……' }));
    Promise.all([api('/tickets/' + encodeURIComponent(no)), api('/tickets/' + encodeURIComponent(no) + '/history')]).then(function (r) {
      var t = r[0];
      var fields = [
        ['工单编号', t.ticketNo], ['状态', name(state.config.statusNames, t.status)], ['承办单位', t.unit && t.unit.name ? t.unit.name : t.unitId],
        ['诉求标题', t.subject || ''], ['诉求内容', t.content || ''], ['派单时间', dateTime(t.dispatchedAt)], ['接单期限', dateTime(t.acceptDueAt)],
        ['接单时间', dateTime(t.acceptedAt)], ['办理期限', dateTime(t.dueAt)], ['超时', t.overdue ? '是' : '否'], ['督办', t.supervised ? '是' : '否'],
        ['办结时间', dateTime(t.closedAt)], ['答复', t.reply ? t.reply.text : '—'],
      ];
      show(h('section', { class: 'card', id: 'ticket' },
        h('p', null, h('a', { href: '#/', text: '← 返回看板' })),
        h('h2', { text: '工单 ' + t.ticketNo }),
        h('dl', { class: 'detail' }, fields.map(function (f) { return [h('dt', { text: f[0] }), h('dd', { text: String(f[1]) })]; })),
        h('h3', { text: '办理记录' }),
        h('table', { id: 'history' },
          h('thead', null, h('tr', null, ['时间', '事项', '操作人'].map(function (x) { return h('th', { text: x }); }))),
          h('tbody', null, r[1].events.map(function (e) { return h('tr', null, h('td', { text: dateTime(e.at) }), h('td', { text: e.type }), h('td', { text: e.actor || '' })); }))),
      ));
      document.body.setAttribute('data-ready', 'ticket');
    }, function (err) {
      if (err && err.status === 404) {
        show(h('section', { class: 'card', id: 'ticket-missing' }, h('p', null, h('a', { href: '#/', text: '← 返回看板' })), h('h2', { text: '没有找到工单 ' + no }), h('p', { text: '工单不存在，或不属于本单位。' })));
        document.body.setAttribute('data-ready', 'ticket');
        return;
      }
      failed(err);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------------------------------------------------

  function start() {
    var q = /[?&]month=(\d{4}-\d{2})(?:&|$)/.exec(location.search);
    state.month = q ? q[1] : thisMonth();
    document.getElementById('sign-out').addEventListener('click', function () { signOut(); });
    document.getElementById('month').addEventListener('change', function (e) {
      if (!/^\d{4}-\d{2}$/.test(e.target.value)) return;
      state.month = e.target.value;
      history.replaceState(null, '', '/dashboard?month=' + state.month + '#/');
      route();
    });
    window.addEventListener('hashchange', route);
    window.addEventListener('resize', function () { state.charts.forEach(function (c) { c.resize(); }); });
    fetch('/dashboard/config.json').then(function (r) { return r.json(); }).then(function (cfg) {
      state.config = cfg;
      var saved = sessionStorage.getItem(TOKEN_KEY);
      if (saved) signIn(saved);
      else signInView();
    }, failed);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
