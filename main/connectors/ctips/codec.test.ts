// The CTIPS codec against every literal example of the manual (digest §6: signatures, Appendix A
// class and enum blocks, the Appendix D sample client, the Chapter 3–4 field listings and the
// Appendix C summaries), the digest's §1.5 wire-profile envelopes, and bad inputs.
import { describe, expect, it } from 'vitest';
import {
  buildCtipsRequest,
  buildEnvelope,
  buildOpenConnection,
  callbackOperations,
  callerInfo,
  canonicalRequestField,
  ctipsEnums,
  ctipsHttpHeaders,
  ctipsOperations,
  ctipsProfile,
  ctipsRequests,
  ctipsSoapAction,
  ctipsUrl,
  decodeCallbackReply,
  decodeCtipsCallback,
  decodeCtipsRequest,
  decodeCtipsResponse,
  decodeEnum,
  DEFAULT_CTIPS_PROFILE,
  describeFailure,
  encodeCallbackFault,
  encodeCallbackReply,
  encodeCtipsFault,
  encodeCtipsResponse,
  encodeHeartbeatMessage,
  encodePublishCTIEvent,
  encodeStartSession,
  enumNameFor,
  eventKinds,
  eventSpecs,
  headerFields,
  isUnsolicited,
  normField,
  operationsWithRequestId,
  requestSpecs,
  structSpecs,
  type CtipsArgs,
  type CtipsEnumName,
  type CtipsEvent,
  type CtipsEventType,
  type CtipsOperation,
  type Decoded,
  type FieldType,
} from './codec.js';
import { exampleAt, manualExamples, type ManualExample } from './manual-examples.js';
import { sampleArgs, sampleEvents } from './test-fixtures.js';

const ok = <T>(r: Decoded<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.value;
};
const err = <T>(r: Decoded<T>) => {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 300)}`);
  return r.error;
};
const byKind = (k: ManualExample['kind']) => manualExamples.filter((e) => e.kind === k);

/** Decoded values → plain data: enum values become their names ({raw} when unknown). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.known === 'boolean') return o.known ? o.name : { raw: o.raw };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

// ---- Manual examples ---------------------------------------------------------------------

describe("the manual's literal examples are kept byte-exact", () => {
  it('has all 172 examples: 30 signatures, 11 class and 40 enum fragments, 2 sample blocks, 85 field listings, 4 summaries', () => {
    expect(manualExamples).toHaveLength(172);
    expect(byKind('signature')).toHaveLength(30);
    expect(byKind('classBlock')).toHaveLength(11);
    expect(byKind('enumBlock')).toHaveLength(40);
    expect(byKind('sampleCode')).toHaveLength(2);
    expect(byKind('fieldTable')).toHaveLength(85);
    expect(byKind('summaryTable')).toHaveLength(4);
    expect(exampleAt(593).text).toBe('int DeleteFilter>DeleteFilterArgs args)');
    expect(exampleAt(466).text).toBe('**ResponseCode** OpenConnection(**OpenConnectionArgs** args);');
    expect(exampleAt(2138).text).toContain('SiplpAddress;  ');
    expect(exampleAt(2006).text).toContain('public string AgentStationAddress  \n}');
    for (const e of manualExamples) {
      expect(e.lines[1]).toBeGreaterThanOrEqual(e.lines[0]);
      expect(e.text.split('\n')).toHaveLength(e.lines[1] - e.lines[0] + 1);
    }
  });
});

// Signatures: `<ret> <Op>(<Op>Args args)`; markdown bold and `#` headings stripped.
const sigRe = /^(ResponseCode|int|Int|Void|void)\s+(\w+)\s*\(([^()]*)\)\s*;?$/;
const parseSignature = (text: string) => sigRe.exec(text.replace(/\*\*/g, '').replace(/^#+\s*/, '').trim());

describe('operation signatures (30)', () => {
  const seen = new Set<string>();
  for (const e of byKind('signature')) {
    it(`L${e.lines[0]} ${e.text.replace(/\*/g, '').slice(0, 60)}`, () => {
      let m = parseSignature(e.text);
      if (e.lines[0] === 593) {
        // Malformed in the manual (digest §6.1): `>` where `(` belongs.
        expect(m).toBeNull();
        m = parseSignature(e.text.replace('>', '('));
      }
      expect(m).not.toBeNull();
      const [, ret, name, params] = m as RegExpExecArray;
      seen.add(name as string);
      if ((callbackOperations as readonly string[]).includes(name as string)) return;
      expect(ctipsOperations).toContain(name);
      expect(params).toBe(`${name}Args args`);
      expect(ret?.toLowerCase()).toBe(name === 'OpenConnection' ? 'responsecode' : 'int');
    });
  }
  it('name every one of the 27 operations and the 3 callbacks exactly once', () => {
    expect([...seen].sort()).toEqual([...ctipsOperations, ...callbackOperations].sort());
  });
});

// Field listings: rows "Name\tDescription\tType"; header rows and page-break debris skipped.
type Row = { name: string; type: string; line: number };
function rows(e: ManualExample): { good: Row[]; broken: string[] } {
  const good: Row[] = [];
  const broken: string[] = [];
  e.text.split('\n').forEach((l, i) => {
    const [name = '', , type = ''] = l.split('\t');
    if (/^(Field Names?|Method Name|Event Name)$/.test(name)) return;
    if (!/^[A-Za-z][A-Za-z ()]*$/.test(name)) broken.push(l);
    else good.push({ name: name.trim(), type: type.replace(/<\/?(b|i|p|ul|li|br)\b[^>]*>/g, '').trim(), line: e.lines[0] + i });
  });
  return { good, broken };
}

// The manual's type column → our field type (OCR/typo spellings of §7 #17, #48 repaired).
function docType(t: string): string {
  const fixed: Record<string, string> = { 'Lists<int>': 'int[]', CTIDestType: 'CTIDestinationType', StringFailureReason: 'String', 'CTIFailure Type': 'CTIFailureType', 'ServiceState[]': 'CTIServiceInfo[]' };
  const s = fixed[t] ?? t;
  const lower: Record<string, string> = { int: 'int', string: 'string', bool: 'bool', long: 'long', 'int[]': 'int[]', 'string[]': 'string[]' };
  if (lower[s.toLowerCase()]) return lower[s.toLowerCase()] as string;
  const arr = s.endsWith('[]');
  const base = arr ? s.slice(0, -2) : s;
  if (Object.hasOwn(ctipsEnums, base)) return arr ? `enum[]:${base}` : `enum:${base}`;
  if (Object.hasOwn(structSpecs, base)) return arr ? `struct[]:${base}` : `struct:${base}`;
  return `?${s}`;
}

const opOfSection = (s: string): CtipsOperation | undefined => ctipsOperations.find((o) => o.toLowerCase() === s.toLowerCase());
function eventOfSection(s: string): CtipsEventType | 'header' | undefined {
  if (s === 'Event Header') return 'header';
  const n = s.replace(/\s*Event$/, '');
  const d = decodeEnum('CTIEventType', n);
  return d.known && Object.hasOwn(eventSpecs, d.name) ? (d.name as CtipsEventType) : undefined;
}

// Known type-column disagreements, kept as the digest decides (§7 #18).
const typeExceptions: Record<string, string> = { 'ConsultationCall.UserData': 'String (L872); sent as string[] like SetCallData' };
// Rows that are page-break debris in the manual (§3.1): the dashed row and a wrapped description.
const brokenRows: Record<number, number> = { 679: 1, 606: 1 };

describe('request field listings (Chapter 3) match requestSpecs', () => {
  const tables = byKind('fieldTable').filter((e) => opOfSection(e.section));
  const union = new Map<CtipsOperation, Set<string>>();
  it('cover the 27 operations', () => {
    expect(new Set(tables.map((e) => opOfSection(e.section))).size).toBe(27);
  });
  for (const e of tables) {
    const op = opOfSection(e.section) as CtipsOperation;
    it(`L${e.lines[0]}–${e.lines[1]} ${op}`, () => {
      const { good, broken } = rows(e);
      expect(broken).toHaveLength(brokenRows[e.lines[0]] ?? 0);
      for (const r of good) {
        const f = canonicalRequestField(op, r.name);
        expect(f, `${op}.${r.name} (L${r.line})`).not.toBeNull();
        const set = union.get(op) ?? new Set<string>();
        set.add(f as string);
        union.set(op, set);
        const ours = (requestSpecs[op] as Record<string, readonly [FieldType, string]>)[f as string]?.[0];
        if (typeExceptions[`${op}.${f}`]) expect(docType(r.type)).not.toBe(ours);
        else expect(docType(r.type), `${op}.${r.name} type ${r.type}`).toBe(ours);
      }
    });
  }
  it('and every field of every spec appears in its listing', () => {
    for (const op of ctipsOperations) expect([...(union.get(op) ?? [])].sort(), op).toEqual(Object.keys(requestSpecs[op]).sort());
  });
});

describe('event field listings (Chapter 4) match eventSpecs', () => {
  const tables = byKind('fieldTable').filter((e) => eventOfSection(e.section));
  const union = new Map<string, Set<string>>();
  it('cover the header and the 30 event types that have a table', () => {
    expect(new Set(tables.map((e) => eventOfSection(e.section))).size).toBe(31);
  });
  for (const e of tables) {
    const t = eventOfSection(e.section) as CtipsEventType | 'header';
    it(`L${e.lines[0]}–${e.lines[1]} ${t}`, () => {
      const { good, broken } = rows(e);
      expect(broken).toEqual([]);
      const spec: Record<string, string> = { EventCategory: 'enum:CTIEventCategory', EventType: 'enum:CTIEventType', ...Object.fromEntries(headerFields.map((h) => [h, 'int'])), ...(t === 'header' ? {} : eventSpecs[t]) };
      for (const r of good) {
        const f = Object.keys(spec).find((k) => normField(k) === normField(r.name));
        expect(f, `${t}.${r.name} (L${r.line})`).toBeDefined();
        const set = union.get(t) ?? new Set<string>();
        set.add(f as string);
        union.set(t, set);
        expect(docType(r.type), `${t}.${r.name} type ${r.type}`).toBe(spec[f as string]);
      }
    });
  }
  it('and every event field appears in its listing (except the [SIM] CallDataUpdate.FailureReason, §7 #22)', () => {
    for (const t of Object.keys(eventSpecs) as CtipsEventType[]) {
      if (t === 'SnapShotRequestFailed') continue; // no field table in the manual (L2657)
      const want = Object.keys(eventSpecs[t]).filter((f) => !(t === 'CallDataUpdate' && f === 'FailureReason'));
      const got = [...(union.get(t) ?? [])].filter((f) => !['EventCategory', 'EventType', ...headerFields].includes(f));
      expect(got.sort(), t).toEqual(want.sort());
    }
  });
});

// Enum blocks: fragments joined per enum; a strict C# reading and a lenient one.
function strictEnum(text: string): { name: string; members: string[] } | string {
  const m = /^\s*public enum (\w+)\s*\{([^{}]*)\}\s*$/.exec(text.replace(/\*\*/g, ''));
  if (!m) return 'not one `public enum X { … }` block';
  const members: string[] = [];
  for (const part of (m[2] as string).split(',')) {
    const p = part.trim();
    if (p === '') continue;
    if (!/^\w+(\s*=\s*\d+)?$/.test(p)) return `missing comma near "${p.replace(/\s+/g, ' ')}"`;
    members.push(p.replace(/\s*=.*$/, ''));
  }
  return { name: m[1] as string, members };
}
function lenientEnum(text: string): Array<{ name: string; value: number | null }> {
  const out: Array<{ name: string; value: number | null }> = [];
  for (const l of text.replace(/\*\*/g, '').split('\n')) {
    const m = /^\s*(\w+)\s*(?:=\s*(\d+))?\s*,?\s*$/.exec(l);
    if (m) out.push({ name: m[1] as string, value: m[2] !== undefined ? Number(m[2]) : null });
  }
  return out;
}
// Enum blocks the manual prints broken (digest §6.5, §7 #50): the strict error expected.
const brokenEnums: Record<string, RegExp> = {
  CTIAgentCapabilities: /missing comma/,
  CTIAgentState: /missing comma/,
  CTICallProgressSignalType: /missing comma/,
  CTIMediaType: /missing comma/,
  CTIDestinationType: /missing comma/,
  CTICallState: /not one/,
  CTIEventType: /not one/,
  CTIFailureType: /not one/,
};

describe('Appendix A enum blocks match enums.ts (24 enumerations)', () => {
  const groups = new Map<string, ManualExample[]>();
  for (const e of byKind('enumBlock')) groups.set(e.section, [...(groups.get(e.section) ?? []), e]);
  it('are the 24 enumerations', () => {
    expect([...groups.keys()].sort()).toEqual(Object.keys(ctipsEnums).sort());
  });
  for (const [name, parts] of groups) {
    it(`${name} (L${parts[0]?.lines[0]}–L${parts[parts.length - 1]?.lines[1]})`, () => {
      const text = parts.map((p) => p.text).join('\n');
      const strict = strictEnum(text);
      const bad = brokenEnums[name];
      if (bad) expect(strict).toMatch(bad);
      else expect(strict).toEqual({ name, members: [...ctipsEnums[name as CtipsEnumName]] });
      const members = lenientEnum(text).filter((m) => m.name !== name);
      expect(members.map((m) => m.name)).toEqual([...ctipsEnums[name as CtipsEnumName]]);
      // Explicit `= n` values agree with the implicit numbering decodeEnum uses.
      for (const [i, m] of members.entries()) {
        if (m.value !== null) expect(m.value).toBe(i);
        const d = decodeEnum(name as CtipsEnumName, String(i));
        expect(d.known && d.name).toBe(m.name);
      }
    });
  }
});

// Class blocks: `public <type> <Name>;` lines.
describe('Appendix A data classes match structSpecs (7 classes)', () => {
  const groups = new Map<string, ManualExample[]>();
  for (const e of byKind('classBlock')) groups.set(e.section === 'User Credentials' ? 'UserCredentials' : e.section, [...(groups.get(e.section === 'User Credentials' ? 'UserCredentials' : e.section) ?? []), e]);
  it('are the 7 data classes', () => {
    expect([...groups.keys()].sort()).toEqual(Object.keys(structSpecs).sort());
  });
  // CTISnapShotAgentData is broken (§6.4): a stray `}` mid-class and a missing `;`. CTISnapShotCallData
  // and CTICallInfo are only split by page breaks: joined, they are valid.
  const brokenClasses = new Set(['CTISnapShotAgentData']);
  const splitClasses = new Set(['CTISnapShotAgentData', 'CTISnapShotCallData', 'CTICallInfo']);
  for (const [name, parts] of groups) {
    it(name, () => {
      const text = parts.map((p) => p.text).join('\n');
      const fields: Array<[string, string]> = [];
      let missingSemicolon = 0;
      for (const l of text.split('\n')) {
        const m = /^\s*public (\w+(?:\[\])?) (\w+)\s*(;?)\s*$/.exec(l);
        if (!m || m[2] === name) continue;
        if (m[3] === '') missingSemicolon += 1;
        fields.push([m[2] as string, m[1] as string]);
      }
      const braces = (text.match(/\}/g) ?? []).length;
      const strictOk = braces === 1 && missingSemicolon === 0 && /^public class \w+\s*\n\{/.test(text.trimStart());
      expect(strictOk).toBe(!brokenClasses.has(name));
      expect(parts.length > 1).toBe(splitClasses.has(name));
      const spec = structSpecs[name as keyof typeof structSpecs] as Record<string, FieldType>;
      expect(fields.map(([f]) => Object.keys(spec).find((k) => normField(k) === normField(f)))).toEqual(Object.keys(spec));
      for (const [f, t] of fields) {
        const k = Object.keys(spec).find((x) => normField(x) === normField(f)) as string;
        expect(docType(t), `${name}.${f}`).toBe(spec[k]);
      }
    });
  }
});

describe('Appendix C summaries', () => {
  it('name only operations we build (PanicLogoutAgent = PanicLogout, §7 #14)', () => {
    const names = byKind('summaryTable').filter((e) => /Method Name/.test(e.text)).flatMap((e) => rows(e).good.map((r) => r.name));
    expect(names).toHaveLength(25);
    for (const n of names) expect(opOfSection(n === 'PanicLogoutAgent' ? 'PanicLogout' : n), n).toBeDefined();
  });
  it('name only event types we decode (CallRequestedFailed and RouteRejected are aliases)', () => {
    const names = byKind('summaryTable').filter((e) => /Event Name/.test(e.text)).flatMap((e) => rows(e).good.map((r) => r.name));
    expect(names).toHaveLength(31);
    for (const n of names) expect(eventOfSection(n), n).toBeDefined();
  });
});

// The Appendix D sample client: its literal values rebuilt as requests.
describe('Appendix D sample client (L2670–L2722)', () => {
  const [a, b] = byKind('sampleCode') as [ManualExample, ManualExample];
  const src = `${a.text}\n${b.text}`;
  it('is not compilable as printed (braces close the class before the second block, §6.3)', () => {
    const opens = (src.match(/\{/g) ?? []).length;
    const closes = (src.match(/\}/g) ?? []).length;
    expect(closes - opens).toBe(2);
  });
  it('OpenConnection with its values: TenantIds [1], Test01/Test01, the callback URL', () => {
    const url = /ocArgs\.ClientCallbackURL =\s*"([^"]+)"/.exec(src)?.[1] as string;
    const tenant = Number(/ocArgs\.TenantIds\[0\] = (\d+);/.exec(src)?.[1]);
    const user = /UserName = "([^"]+)"/.exec(src)?.[1] as string;
    const pass = /Password = "([^"]+)"/.exec(src)?.[1] as string;
    expect([url, tenant, user, pass]).toEqual(['http://10.128.98.146:8730/www.aspect.com/PublishEvents', 1, 'Test01', 'Test01']);
    const req = ok(buildOpenConnection({ TenantIds: [tenant], UserCredentials: { UserName: user, Password: pass }, ClientCallbackURL: url }));
    expect(req.action).toBe('http://tempuri.org/IAgentCallService/OpenConnection');
    expect(req.headers).toEqual({ 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"http://tempuri.org/IAgentCallService/OpenConnection"' });
    const back = ok(decodeCtipsRequest(req.body));
    expect(plain(back.args)).toEqual({ TenantIds: [1], UserCredentials: { UserName: 'Test01', Password: 'Test01' }, ClientCallbackURL: url });
  });
  it('4 × AddMessageClass (Agent, Call, System, Route), then OnLine', () => {
    const classes = [...src.matchAll(/MessageClass = CTIMessageClass\.(\w+);/g)].map((m) => m[1] as string);
    expect(classes).toEqual(['EventCategoryAgent', 'EventCategoryCall', 'EventCategorySystem', 'EventCategoryRoute']);
    const r = ctipsRequests({ SessionId: 'S', TenantId: 1 });
    for (const c of classes) {
      const req = ok(r.addMessageClass({ MessageClass: enumNameFor('CTIMessageClass', c) as 'EventCategoryAgent' }));
      expect(plain(ok(decodeCtipsRequest(req.body)).args)).toEqual({ TenantId: 1, SessionId: 'S', MessageClass: c });
    }
    expect(src).toMatch(/online\.TenantId = 1;[\s\S]*CTIPSClientProxy\.OnLine\(online\)/);
    expect(plain(ok(decodeCtipsRequest(ok(r.onLine()).body)).args)).toEqual({ TenantId: 1, SessionId: 'S' });
  });
  it('SessionObject.SessionId is read from the OpenConnection reply', () => {
    const reply = encodeCtipsResponse('OpenConnection', 0, 'abc');
    expect(ok(decodeCtipsResponse(reply, { operation: 'OpenConnection' })).sessionId).toBe('abc');
  });
});

// ---- The digest §1.5 profile envelopes (invented, [SIM]) -------------------------------------

const digestOpenConnection = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Body>
    <OpenConnection xmlns="http://tempuri.org/">
      <args xmlns:a="http://schemas.datacontract.org/2004/07/Aspect.UnifiedIP.CTIPS"
            xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
        <a:TenantIds xmlns:b="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><b:int>1</b:int></a:TenantIds>
        <a:UserCredentials><a:UserName>Test01</a:UserName><a:Password>Test01</a:Password></a:UserCredentials>
        <a:ClientCallbackURL>http://10.128.98.146:8730/www.aspect.com/PublishEvents</a:ClientCallbackURL>
      </args>
    </OpenConnection>
  </s:Body>
</s:Envelope>`;
const digestOpenResponse = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
  <OpenConnectionResponse xmlns="http://tempuri.org/">
    <OpenConnectionResult xmlns:a="http://schemas.datacontract.org/2004/07/Aspect.UnifiedIP.CTIPS">
      <a:SessionId>3f2a9c1e-5b7d-4e21-9a0f-1c2d3e4f5a6b</a:SessionId><a:Status>0</a:Status>
    </OpenConnectionResult>
  </OpenConnectionResponse>
</s:Body></s:Envelope>`;
const digestLogin = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
  <LoginAgent xmlns="http://tempuri.org/">
    <args xmlns:a="http://schemas.datacontract.org/2004/07/Aspect.UnifiedIP.CTIPS">
      <a:SessionId>3f2a9c1e-5b7d-4e21-9a0f-1c2d3e4f5a6b</a:SessionId><a:RequestId>101</a:RequestId><a:TenantId>1</a:TenantId>
      <a:AgentLoginName>agent1</a:AgentLoginName><a:StationId>5001</a:StationId>
      <a:InitialState>NotReady</a:InitialState><a:MultiLine>0</a:MultiLine>
    </args>
  </LoginAgent>
</s:Body></s:Envelope>`;
const digestEvent = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
  <PublishCTIEvent xmlns="http://tempuri.org/">
    <event i:type="a:AgentStateChangeEvent" xmlns:a="http://schemas.datacontract.org/2004/07/Aspect.UnifiedIP.CTIPS"
           xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:b="http://schemas.microsoft.com/2003/10/Serialization/Arrays">
      <a:EventCategory>EventCategoryAgent</a:EventCategory><a:EventType>AgentStateChange</a:EventType>
      <a:RequestId>101</a:RequestId><a:TenantId>1</a:TenantId><a:SiteId>1</a:SiteId><a:SwitchId>1</a:SwitchId>
      <a:ServiceId>0</a:ServiceId><a:AgentId>1001</a:AgentId>
      <a:AgentState>NotReady</a:AgentState><a:ServiceIds><b:int>3</b:int><b:int>4</b:int></a:ServiceIds>
      <a:SipAddress i:nil="true"/><a:SipPort>0</a:SipPort>
    </event>
  </PublishCTIEvent>
</s:Body></s:Envelope>`;
const soap11 = (body: string) => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`;

describe('digest §1.5 wire-profile envelopes', () => {
  it('OpenConnection: ours decodes to the same request as the digest example', () => {
    const ours = ok(buildOpenConnection(sampleArgs.OpenConnection));
    expect(ok(decodeCtipsRequest(ours.body))).toEqual(ok(decodeCtipsRequest(digestOpenConnection)));
  });
  it('OpenConnection response', () => {
    expect(ok(decodeCtipsResponse(digestOpenResponse))).toEqual({ operation: 'OpenConnection', status: 0, sessionId: '3f2a9c1e-5b7d-4e21-9a0f-1c2d3e4f5a6b', requestId: null, message: 'Success' });
  });
  it('LoginAgent: same request, and the LoginAgentResult reply', () => {
    const ours = ok(ctipsRequests({ SessionId: '3f2a9c1e-5b7d-4e21-9a0f-1c2d3e4f5a6b', TenantId: 1 }).loginAgent({ RequestId: 101, AgentLoginName: 'agent1', StationId: '5001', InitialState: 'NotReady', MultiLine: 0 }));
    expect(ours.requestId).toBe(101);
    expect(ok(decodeCtipsRequest(ours.body))).toEqual(ok(decodeCtipsRequest(digestLogin)));
    const reply = soap11('<LoginAgentResponse xmlns="http://tempuri.org/"><LoginAgentResult>0</LoginAgentResult></LoginAgentResponse>');
    expect(ok(decodeCtipsResponse(reply, { operation: 'LoginAgent', requestId: 101 })).requestId).toBe(101);
  });
  it('PublishCTIEvent AgentStateChange', () => {
    const cb = ok(decodeCtipsCallback(digestEvent));
    if (cb.operation !== 'PublishCTIEvent' || cb.event.kind === 'unknown' || cb.event.type !== 'AgentStateChange') throw new Error('wrong event');
    const e = cb.event;
    expect(e.kind).toBe('agent');
    expect(e.header).toEqual({ category: { known: true, name: 'EventCategoryAgent', value: 1 }, requestId: 101, tenantId: 1, siteId: 1, switchId: 1, serviceId: 0, agentId: 1001 });
    expect(plain(e.fields)).toEqual({ AgentState: 'NotReady', ServiceIds: [3, 4], SipAddress: null, SipPort: 0 });
    expect(isUnsolicited(e)).toBe(false);
  });
  it('the fault example', () => {
    const x = err(decodeCtipsResponse(soap11('<s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en-US">Invalid SessionId</faultstring></s:Fault>')));
    expect(x.kind).toBe('fault');
    expect(x.fault).toMatchObject({ soapVersion: '1.1', code: 'Client', rawCode: 's:Client', reason: 'Invalid SessionId', ctiFault: null });
    expect(x.message).toBe('SOAP fault Client: Invalid SessionId');
  });
});

// ---- Wire profile -------------------------------------------------------------------------

describe('wire profile', () => {
  it('defaults are the digest §1.5 values', () => {
    expect(DEFAULT_CTIPS_PROFILE).toMatchObject({ soapVersion: '1.1', requestNamespace: 'http://tempuri.org/', requestPath: '/CTIPortal/AgentCallService', defaultPort: 8700 });
    expect(ctipsSoapAction(DEFAULT_CTIPS_PROFILE, 'callback', 'HeartbeatMessage')).toBe('http://tempuri.org/IPublishEvents/HeartbeatMessage');
    expect(ctipsUrl(DEFAULT_CTIPS_PROFILE, 'ctips.local')).toBe('http://ctips.local:8700/CTIPortal/AgentCallService');
    expect(ctipsUrl(DEFAULT_CTIPS_PROFILE, '::1', 9000, 'https')).toBe('https://[::1]:9000/CTIPortal/AgentCallService');
  });
  it('namespace, action format and SOAP 1.2 are parameters', () => {
    const p = ctipsProfile({ soapVersion: '1.2', requestNamespace: 'urn:aspect:ctips', dataNamespace: 'urn:aspect:data', soapActionFormat: 'urn:{op}' });
    const req = ok(buildCtipsRequest('OnLine', sampleArgs.OnLine, p, { messageId: 'urn:uuid:1', to: 'http://h/x' }));
    expect(req.action).toBe('urn:OnLine');
    expect(req.headers).toEqual({ 'Content-Type': 'application/soap+xml; charset=utf-8; action="urn:OnLine"' });
    expect(req.body).toContain('xmlns:s="http://www.w3.org/2003/05/soap-envelope"');
    expect(req.body).toContain('<a:Action s:mustUnderstand="1">urn:OnLine</a:Action><a:MessageID>urn:uuid:1</a:MessageID>');
    expect(req.body).toContain('<OnLine xmlns="urn:aspect:ctips"><args xmlns:a="urn:aspect:data"');
    const back = ok(decodeCtipsRequest(req.body));
    expect(back.soapVersion).toBe('1.2');
    expect(plain(back.args)).toEqual({ TenantId: 1, SessionId: sampleArgs.OnLine.SessionId });
    expect(ctipsHttpHeaders(p, 'a"b\r\n')).toEqual({ 'Content-Type': 'application/soap+xml; charset=utf-8; action="ab"' });
  });
  it('alphabetical field order (WCF DataContractSerializer) is a profile choice', () => {
    const doc = ok(buildCtipsRequest('LoginAgent', sampleArgs.LoginAgent)).body;
    const alpha = ok(buildCtipsRequest('LoginAgent', sampleArgs.LoginAgent, ctipsProfile({ fieldOrder: 'alphabetical' }))).body;
    const order = (b: string) => [...b.matchAll(/<a:(\w+)>/g)].map((m) => m[1]);
    expect(order(doc)).toEqual(['SessionId', 'RequestId', 'TenantId', 'AgentLoginName', 'StationId', 'InitialState', 'MultiLine']);
    expect(order(alpha)).toEqual(['AgentLoginName', 'InitialState', 'MultiLine', 'RequestId', 'SessionId', 'StationId', 'TenantId']);
  });
  it('SOAP 1.2 faults: Code/Subcode/Reason/Detail with a CTIFault', () => {
    const p = ctipsProfile({ soapVersion: '1.2' });
    const x = err(decodeCtipsResponse(encodeCtipsFault('Client', 'Missing required field: StationId', p, { code: 12, message: 'StationId' })));
    expect(x.fault).toMatchObject({ soapVersion: '1.2', code: 'Sender', reason: 'Missing required field: StationId', ctiFault: { code: 12, message: 'StationId' } });
    const sub = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>a:InternalServiceFault</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">boom</s:Text></s:Reason><s:Role>r</s:Role><s:Detail><x>d1</x></s:Detail></s:Fault></s:Body></s:Envelope>`;
    expect(err(decodeCtipsResponse(sub)).fault).toMatchObject({ code: 'Receiver', subcode: 'InternalServiceFault', reason: 'boom', actor: 'r', detailText: 'd1' });
  });
  it('1.1 fault with detail, and encoded 1.1 fault', () => {
    const x = err(decodeCtipsResponse(encodeCtipsFault('Server', 'oops & <x>', DEFAULT_CTIPS_PROFILE, { code: 99, message: 'm' })));
    expect(x.fault).toMatchObject({ code: 'Server', reason: 'oops & <x>', ctiFault: { code: 99, message: 'm' } });
    expect(x.message).toBe('SOAP fault Server: oops & <x> [CTIFault 99: m]');
  });
  it('refuses a non-SOAP root, an unknown envelope namespace, an empty body', () => {
    expect(err(decodeCtipsResponse('<a/>')).kind).toBe('badShape');
    expect(err(decodeCtipsResponse('<s:Envelope xmlns:s="urn:x"><s:Body><x/></s:Body></s:Envelope>')).message).toMatch(/namespace/);
    expect(err(decodeCtipsResponse(soap11(''))).message).toMatch(/empty SOAP Body/);
    expect(err(decodeCtipsResponse('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>')).message).toMatch(/without a Body/);
  });
  it('buildEnvelope 1.2 without WS-Addressing has no header', () => {
    expect(buildEnvelope(ctipsProfile({ soapVersion: '1.2', wsAddressing: false }), '<x/>', 'a')).toBe('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x/></s:Body></s:Envelope>');
  });
});

// ---- Requests -----------------------------------------------------------------------------

describe('requests: all 27 operations', () => {
  it('27 operations; 18 carry a RequestId (agent, call, route)', () => {
    expect(ctipsOperations).toHaveLength(27);
    expect(operationsWithRequestId).toHaveLength(18);
    expect(operationsWithRequestId).not.toContain('Snapshot');
  });
  for (const op of ctipsOperations) {
    it(`${op}: builds, round-trips, refuses each missing mandatory field`, () => {
      const args = sampleArgs[op] as CtipsArgs<typeof op>;
      const req = ok(buildCtipsRequest(op, args));
      expect(req.operation).toBe(op);
      expect(req.action).toBe(`http://tempuri.org/IAgentCallService/${op}`);
      expect(req.requestId).toBe((args as { RequestId?: number }).RequestId ?? null);
      const back = ok(decodeCtipsRequest(req.body));
      expect(back.operation).toBe(op);
      expect(back.invalid).toEqual([]);
      const spec = requestSpecs[op] as Record<string, readonly [FieldType, string]>;
      for (const [f, [t, need]] of Object.entries(spec)) {
        const given = (args as Record<string, unknown>)[f];
        const want = given === undefined ? (t === 'int' ? 0 : t.includes('[]') ? [] : t === 'bool' ? false : null) : given;
        expect(plain(back.args[f]), `${op}.${f}`).toEqual(want);
        if (need !== 'req') continue;
        const without = { ...(args as Record<string, unknown>) };
        delete without[f];
        const x = err(buildCtipsRequest(op, without as CtipsArgs<typeof op>));
        expect([x.kind, x.field]).toEqual(['missingField', f]);
      }
    });
  }
  it('named builders: ready / notReady / notReadyPark / blind and consultation transfer / cancel consultation', () => {
    const r = ctipsRequests({ SessionId: 'S', TenantId: 1 });
    const state = (x: Decoded<{ body: string }>) => plain(ok(decodeCtipsRequest(ok(x).body)).args.NewState);
    expect(state(r.ready({ RequestId: 1, AgentId: 2 }))).toBe('Idle');
    expect(state(r.notReady({ RequestId: 1, AgentId: 2 }))).toBe('NotReady');
    expect(state(r.notReadyPark({ RequestId: 1, AgentId: 2 }))).toBe('NotReadyPark');
    const blind = ok(decodeCtipsRequest(ok(r.blindTransfer({ RequestId: 3, AgentId: 2, CallId: 9, DestinationType: 'Service', DestinationAddress: '4' })).body)).args;
    expect(plain([blind.TransferType, blind.DestinationAddress, blind.ConsultationCallId])).toEqual(['Blind', '4', 0]);
    const cons = ok(decodeCtipsRequest(ok(r.consultationTransfer({ RequestId: 4, AgentId: 2, CallId: 9, DestinationType: 'Agent', ConsultationCallId: 10 })).body)).args;
    expect(plain([cons.TransferType, cons.ConsultationCallId])).toEqual(['Consultation', 10]);
    const [clear, retrieve] = ok(r.cancelConsultation({ AgentId: 2, CallId: 9, ConsultationCallId: 10, clearRequestId: 5, retrieveRequestId: 6 }));
    expect([clear.operation, clear.requestId, retrieve.operation, retrieve.requestId]).toEqual(['ClearCall', 5, 'RetrieveCall', 6]);
    expect(ok(decodeCtipsRequest(clear.body)).args.CallId).toBe(10);
    expect(ok(r.closeConnection()).body).not.toContain('TenantId');
  });
  it('refuses bad values with typed errors', () => {
    const s = sampleArgs;
    const bad = (r: Decoded<unknown>) => [err(r).kind, err(r).field];
    expect(bad(buildCtipsRequest('LoginAgent', { ...s.LoginAgent, RequestId: 0 }))).toEqual(['badField', 'RequestId']);
    expect(bad(buildCtipsRequest('LoginAgent', { ...s.LoginAgent, MultiLine: 2 }))).toEqual(['badField', 'MultiLine']);
    expect(bad(buildCtipsRequest('LoginAgent', { ...s.LoginAgent, RequestId: 2 ** 31 }))).toEqual(['badField', 'RequestId']);
    expect(bad(buildCtipsRequest('LoginAgent', { ...s.LoginAgent, InitialState: 'Bogus' as 'Idle' }))).toEqual(['badField', 'InitialState']);
    expect(bad(buildCtipsRequest('SetCallData', { ...s.SetCallData, UserData: Array(21).fill('x') }))).toEqual(['badField', 'UserData']);
    expect(bad(buildCtipsRequest('TransferCall', { ...s.TransferCall, ConsultationCallId: undefined }))).toEqual(['missingField', 'ConsultationCallId']);
    expect(bad(buildCtipsRequest('TransferCall', { ...s.TransferCall, TransferType: 'Blind' }))).toEqual(['missingField', 'DestinationAddress']);
    expect(bad(buildCtipsRequest('PanicLogout', { ...s.PanicLogout, LogoutAllAgents: false }))).toEqual(['missingField', 'AgentLoginNameList']);
    expect(bad(buildCtipsRequest('OpenConnection', { ...s.OpenConnection, TenantIds: [1, 2] }))).toEqual(['badField', 'TenantIds']);
    expect(bad(buildCtipsRequest('OpenConnection', { ...s.OpenConnection, UserCredentials: { Password: 'x' } }))).toEqual(['missingField', 'UserCredentials.UserName']);
    expect(bad(buildCtipsRequest('MakeCall', { ...s.MakeCall, DestinationAddress: '' }))).toEqual(['missingField', 'DestinationAddress']);
    expect(ok(buildCtipsRequest('MakeCall', { ...s.MakeCall, DestinationType: 'NoDestination', DestinationAddress: undefined })).operation).toBe('MakeCall');
    expect(bad(buildCtipsRequest('RouteSelect', { ...s.RouteSelect, RouteDestination: undefined }))).toEqual(['missingField', 'RouteDestination']);
    expect(ok(buildCtipsRequest('RouteSelect', { ...s.RouteSelect, RouteActionType: 'RouteToDefault', RouteDestination: undefined })).operation).toBe('RouteSelect');
    expect(bad(buildCtipsRequest('SetDisposition', { ...s.SetDisposition, WrapNotRequired: 'yes' as unknown as boolean }))).toEqual(['badField', 'WrapNotRequired']);
    expect(err(buildCtipsRequest('Nope' as CtipsOperation, {} as never)).kind).toBe('unknownOperation');
    expect(err(buildCtipsRequest('OnLine', null as never)).kind).toBe('badShape');
  });
  it('escapes values, keeps digit strings as strings, nil for null array items', () => {
    const req = ok(buildCtipsRequest('RouteSelect', sampleArgs.RouteSelect));
    expect(req.body).toContain('<a:UserData><b:string>x&lt;y&amp;z</b:string></a:UserData>');
    const sc = ok(buildCtipsRequest('SetCallData', sampleArgs.SetCallData)).body;
    expect(sc).toContain('<b:string>A-77</b:string><b:string>Gold</b:string><b:string i:nil="true"/>');
    const mk = ok(decodeCtipsRequest(ok(buildCtipsRequest('MakeCall', sampleArgs.MakeCall)).body)).args;
    expect(mk.DestinationAddress).toBe('0612345678');
    expect(ok(buildCtipsRequest('Snapshot', sampleArgs.Snapshot)).body).toContain('<a:EntityType><a:CTIEntityType>AgentInfo</a:CTIEntityType>');
  });
  it('reads the manual spellings of request fields back (aliases, §7 #2, #12, #16)', () => {
    const body = soap11(`<LoginAgent xmlns="http://tempuri.org/"><args xmlns:a="urn:d"><a:SessionId>S</a:SessionId><a:RequestId>7</a:RequestId><a:TenantId>1</a:TenantId><a:AgentLoginName>x</a:AgentLoginName><a:StationId>0012</a:StationId><a:Initial_State>3</a:Initial_State><a:MultiLine>1</a:MultiLine></args></LoginAgent>`);
    expect(plain(ok(decodeCtipsRequest(body)).args)).toEqual({ SessionId: 'S', RequestId: 7, TenantId: 1, AgentLoginName: 'x', StationId: '0012', InitialState: 'Idle', MultiLine: 1 });
    const oc = soap11(`<OpenConnection xmlns="http://tempuri.org/"><args xmlns:a="urn:d"><a:TenantId><int>1</int></a:TenantId><a:UserInfo><a:Username>u</a:Username><a:Password>p</a:Password></a:UserInfo><a:ClientCallbackURL>c</a:ClientCallbackURL></args></OpenConnection>`);
    expect(plain(ok(decodeCtipsRequest(oc)).args)).toEqual({ TenantIds: [1], UserCredentials: { UserName: 'u', Password: 'p' }, ClientCallbackURL: 'c' });
    const rs = soap11(`<RouteSelect><args><RouteType>RouteToService</RouteType><RequestId>x</RequestId></args></RouteSelect>`);
    const d = ok(decodeCtipsRequest(rs));
    expect(plain(d.args.RouteActionType)).toBe('RouteToService');
    expect(d.invalid).toEqual(['RequestId']);
    expect(err(decodeCtipsRequest(soap11('<Nope/>'))).kind).toBe('unknownOperation');
    expect(err(decodeCtipsRequest(soap11('<OnLine/>'))).kind).toBe('badShape');
  });
});

// ---- Responses ----------------------------------------------------------------------------

describe('responses', () => {
  it('every operation: 0 → ok, non-zero → status error', () => {
    for (const op of ctipsOperations) {
      const sid = op === 'OpenConnection' ? 'sess' : null;
      expect(ok(decodeCtipsResponse(encodeCtipsResponse(op, 0, sid), { operation: op })).status).toBe(0);
      const x = err(decodeCtipsResponse(encodeCtipsResponse(op, 7, sid)));
      expect([x.kind, x.status]).toEqual(['status', 7]);
      expect(x.message).toMatch(/not documented/);
    }
  });
  it('OpenConnection: [SIM] status names, missing session id, alternative status names', () => {
    expect(err(decodeCtipsResponse(encodeCtipsResponse('OpenConnection', 3, null))).message).toMatch(/MaxConnectionsReached/);
    expect(err(decodeCtipsResponse(encodeCtipsResponse('OpenConnection', 0, null))).message).toMatch(/without a SessionId/);
    const alt = soap11('<OpenConnectionResponse><OpenConnectionResult><SessionId>x</SessionId><status>0</status></OpenConnectionResult></OpenConnectionResponse>');
    expect(ok(decodeCtipsResponse(alt)).sessionId).toBe('x');
    const bad = soap11('<OpenConnectionResponse><OpenConnectionResult><SessionId>x</SessionId><Status>ok</Status></OpenConnectionResult></OpenConnectionResponse>');
    expect(err(decodeCtipsResponse(bad)).kind).toBe('badShape');
  });
  it('wrong operation, unknown response, missing or non-integer result', () => {
    expect(err(decodeCtipsResponse(encodeCtipsResponse('OnLine', 0), { operation: 'OffLine' })).kind).toBe('badShape');
    expect(err(decodeCtipsResponse(soap11('<FooResponse><FooResult>0</FooResult></FooResponse>'))).kind).toBe('unknownOperation');
    expect(err(decodeCtipsResponse(soap11('<OnLineResponse/>'))).kind).toBe('badShape');
    expect(err(decodeCtipsResponse(soap11('<OnLineResponse><OnLineResult>1.5</OnLineResult></OnLineResponse>'))).kind).toBe('badShape');
    expect(ok(decodeCtipsResponse(encodeCtipsResponse('OnLine', 0, null, ctipsProfile({ soapVersion: '1.2' })))).status).toBe(0);
  });
});

// ---- Events and callbacks ------------------------------------------------------------------

describe('events: every event type round-trips with typed fields', () => {
  for (const t of Object.keys(eventSpecs) as CtipsEventType[]) {
    it(t, () => {
      const xml = ok(encodePublishCTIEvent(t, { RequestId: 5, TenantId: 1, SiteId: 1, SwitchId: 1, ServiceId: 3, AgentId: 1001 }, sampleEvents[t] as never));
      const cb = ok(decodeCtipsCallback(xml));
      if (cb.operation !== 'PublishCTIEvent') throw new Error('not an event');
      const e = cb.event;
      expect(e.kind).toBe(eventKinds[t]);
      if (e.kind === 'unknown') return;
      expect(e.type).toBe(t);
      expect(e.invalid).toEqual([]);
      const want = Object.fromEntries(Object.entries(eventSpecs[t]).map(([f, ft]) => {
        const v = (sampleEvents[t] as Record<string, unknown>)[f];
        return [f, v !== undefined ? v : ft === 'int' ? 0 : ft.includes('[]') ? [] : ft === 'bool' ? false : null];
      }));
      expect(plain(e.fields)).toEqual(want);
      expect(e.header.requestId).toBe(5);
    });
  }
  it('covers the 31 event types the manual documents with a table or name (30 tables + SnapShotRequestFailed)', () => {
    expect(Object.keys(eventSpecs)).toHaveLength(31);
  });
});

const ev = (inner: string, type = 'a:XEvent') =>
  soap11(`<PublishCTIEvent xmlns="http://tempuri.org/"><event i:type="${type}" xmlns:a="urn:d" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${inner}</event></PublishCTIEvent>`);
const eventOf = (xml: string): CtipsEvent => {
  const cb = ok(decodeCtipsCallback(xml));
  if (cb.operation !== 'PublishCTIEvent') throw new Error('not an event');
  return cb.event;
};

describe('events: leniency (§7 #7, #9, #10, #14, #15, #42, #48)', () => {
  it('unknown event type → kind unknown with the raw fields; enum members without a table too', () => {
    const e = eventOf(ev('<a:EventType>OffLine</a:EventType><a:RequestId>4</a:RequestId><a:Status>2</a:Status>'));
    expect(e).toMatchObject({ kind: 'unknown', type: 'OffLine', header: { requestId: 4 }, raw: { EventType: 'OffLine', RequestId: '4', Status: '2' } });
    expect(eventOf(ev('<a:EventType>Filter</a:EventType>'))).toMatchObject({ kind: 'unknown', type: 'Filter' });
    expect(eventOf(ev('<a:EventType>31</a:EventType>'))).toMatchObject({ kind: 'unknown', type: 'SnapShot' });
    expect(eventOf(ev(''))).toMatchObject({ kind: 'unknown', type: 'X' });
  });
  it('the type from i:type when EventType is absent; spelling aliases', () => {
    expect(eventOf(ev('<a:CallId>1</a:CallId>', 'a:CallHeldEvent'))).toMatchObject({ kind: 'call', type: 'CallHeld' });
    for (const [s, t] of [['RouteRejected', 'RouteReject'], ['EnterPasscodeEvent', 'EnterPasscode'], ['SnapshotUpdate', 'SnapShotUpdate'], ['AudiopathStateChange', 'AudioPathStateChange'], ['CallRequestedFailed', 'CallRequestFailed'], ['4', 'AgentStateChange']]) {
      expect(eventOf(ev(`<a:EventType>${s}</a:EventType>`)).type, s).toBe(t);
    }
  });
  it('unknown enum values are kept raw; event-text spellings map to members', () => {
    const e = eventOf(ev('<a:EventType>AgentStateChange</a:EventType><a:AgentState>OnBreak</a:AgentState>'));
    expect(e.kind !== 'unknown' && e.type === 'AgentStateChange' && e.fields.AgentState).toEqual({ known: false, raw: 'OnBreak' });
    const c = eventOf(ev('<a:EventType>CallEstablished</a:EventType><a:MediaType>VoiceSIP</a:MediaType>'));
    expect(c.kind !== 'unknown' && c.type === 'CallEstablished' && c.fields.MediaType).toEqual({ known: true, name: 'VoiceSip', value: 2 });
    const r = eventOf(ev('<a:EventType>RouteUsed</a:EventType><a:RouteStatus>Route Success</a:RouteStatus><a:RouteType>IVR</a:RouteType><a:Route_Destination>1002</a:Route_Destination>'));
    expect(r.kind !== 'unknown' && r.type === 'RouteUsed' && plain([r.fields.RouteStatus, r.fields.RouteType, r.fields.RouteDestination])).toEqual(['RouteSuccess', 'Ivr', '1002']);
    const a = eventOf(ev('<a:EventType>AudioPathStateChange</a:EventType><a:AudioPathState>None</a:AudioPathState>'));
    expect(a.kind !== 'unknown' && a.type === 'AudioPathStateChange' && plain(a.fields.AudioPathState)).toBe('INVALID');
    const l = eventOf(ev('<a:EventType>AgentLoginStateChange</a:EventType><a:AgentCapabilities><a:x>Standard Agent</a:x><a:x>On Demand</a:x><a:x>Guru</a:x></a:AgentCapabilities>'));
    expect(l.kind !== 'unknown' && l.type === 'AgentLoginStateChange' && plain(l.fields.AgentCapabilities)).toEqual(['StandardAgent', 'OnDemand', { raw: 'Guru' }]);
  });
  it('missing header fields are 0; OCR names (Siteld); bad ints are null and listed', () => {
    const e = eventOf(ev('<a:EventType>CallHeld</a:EventType><a:Siteld>2</a:Siteld><a:CallOriginatingSiteld>3</a:CallOriginatingSiteld><a:CallId>abc</a:CallId><a:CallSequenceId>12345678901234567890</a:CallSequenceId>'));
    if (e.kind === 'unknown' || e.type !== 'CallHeld') throw new Error('type');
    expect(e.header).toMatchObject({ category: null, requestId: 0, siteId: 2, agentId: 0 });
    expect(e.fields).toEqual({ CallId: null, CallSequenceId: null, CallOriginatingSiteId: 3 });
    expect(e.invalid).toEqual(['CallId', 'CallSequenceId']);
    expect(isUnsolicited(e)).toBe(true);
  });
  it('the two ServiceState fields of AgentLoginStateChange are merged; Services accepted', () => {
    const x = eventOf(ev('<a:EventType>AgentLoginStateChange</a:EventType><a:ServiceState><a:CTIServiceInfo><a:ServiceId>3</a:ServiceId><a:ServiceState>Active</a:ServiceState></a:CTIServiceInfo></a:ServiceState><a:Services><a:CTIServiceInfo><a:ServiceId>4</a:ServiceId><a:ServiceState>5</a:ServiceState></a:CTIServiceInfo></a:Services>'));
    expect(x.kind !== 'unknown' && x.type === 'AgentLoginStateChange' && plain(x.fields.ServiceState)).toEqual([{ ServiceId: 3, ServiceState: 'Active' }, { ServiceId: 4, ServiceState: 'UnManned' }]);
  });
  it('callerInfo: ANI/DNIS/names/call data from CallInfo[0] or the event fields', () => {
    const cc = eventOf(ok(encodePublishCTIEvent('CallConnected', {}, sampleEvents.CallConnected)));
    expect(callerInfo(cc)).toEqual({ ani: '0612345678', dnis: '8005550100', firstName: 'Ann', lastName: "O'Neil & Co", phoneNumber: null, callerId: '0612345678', callData: { AccountNumber: 'A-77' } });
    const cd = eventOf(ok(encodePublishCTIEvent('CallDelivered', {}, sampleEvents.CallDelivered)));
    expect(callerInfo(cd)).toMatchObject({ ani: '0612345678', dnis: '8005550100', firstName: null, callData: {} });
    expect(callerInfo(eventOf(ok(encodePublishCTIEvent('LinkStatus', {}, sampleEvents.LinkStatus))))).toBeNull();
  });
  it('failure messages', () => {
    const f = eventOf(ok(encodePublishCTIEvent('CallRequestFailed', {}, sampleEvents.CallRequestFailed)));
    expect(f.kind !== 'unknown' && f.type === 'CallRequestFailed' && describeFailure(f.fields.FailureType)).toBe('The destination is busy');
    expect(describeFailure({ known: false, raw: 'Zzz' })).toMatch(/Undocumented/);
    expect(describeFailure(null)).toMatch(/No failure/);
  });
});

describe('callbacks: HeartbeatMessage, StartSession, replies', () => {
  it('HeartbeatMessage (both SOAP versions) and its reply', () => {
    for (const p of [DEFAULT_CTIPS_PROFILE, ctipsProfile({ soapVersion: '1.2' })]) {
      expect(ok(decodeCtipsCallback(encodeHeartbeatMessage(p)))).toEqual({ operation: 'HeartbeatMessage', soapVersion: p.soapVersion });
      expect(ok(decodeCallbackReply(encodeCallbackReply('HeartbeatMessage', 0, p)))).toEqual({ operation: 'HeartbeatMessage', result: 0 });
    }
  });
  it('StartSession echoes the credentials (L1106) and is answered with an int', () => {
    expect(ok(decodeCtipsCallback(encodeStartSession('Test01', 'p<&>', 'S1')))).toEqual({ operation: 'StartSession', soapVersion: '1.1', userName: 'Test01', password: 'p<&>', sessionId: 'S1' });
    expect(ok(decodeCallbackReply(encodeCallbackReply('StartSession', 1)))).toEqual({ operation: 'StartSession', result: 1 });
    expect(err(decodeCtipsCallback(soap11('<StartSession><sessionId>x</sessionId></StartSession>'))).kind).toBe('badShape');
  });
  it('PublishCTIEvent reply is empty; an unknown callback operation is an error; a fault reply', () => {
    expect(encodeCallbackReply('PublishCTIEvent')).toContain('<PublishCTIEventResponse xmlns="http://tempuri.org/"/>');
    expect(ok(decodeCallbackReply(encodeCallbackReply('PublishCTIEvent')))).toEqual({ operation: 'PublishCTIEvent', result: null });
    expect(err(decodeCtipsCallback(soap11('<Ping/>'))).kind).toBe('unknownOperation');
    expect(err(decodeCtipsCallback(soap11('<PublishCTIEvent/>'))).kind).toBe('badShape');
    expect(err(decodeCallbackReply(encodeCallbackFault('bad'))).kind).toBe('fault');
    expect(encodeCallbackFault('bad & worse')).toContain('<faultstring xml:lang="en-US">bad &amp; worse</faultstring>');
  });
});

// ---- Hostile input -------------------------------------------------------------------------

describe('hostile input', () => {
  const all = (x: string | Uint8Array): Array<Decoded<unknown>> => [decodeCtipsCallback(x), decodeCtipsResponse(x), decodeCtipsRequest(x), decodeCallbackReply(x)];
  it('DOCTYPE / ENTITY refused, entities never expanded', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>${digestEvent}`;
    for (const r of all(lol)) expect(err(r).message).toMatch(/DOCTYPE|declarations/);
    const e = eventOf(ev('<a:EventType>DigitsDialed</a:EventType><a:DigitString>&amp;lt;&#x31;&foo;</a:DigitString>'));
    expect(e.kind !== 'unknown' && e.type === 'DigitsDialed' && e.fields.DigitString).toBe('&lt;1&foo;');
  });
  it('depth, size and encoding caps', () => {
    expect(err(decodeCtipsCallback('<a>'.repeat(100) + '</a>'.repeat(100))).kind).toBe('tooDeep');
    expect(err(decodeCtipsCallback(digestEvent, { maxBytes: 100 })).kind).toBe('tooLarge');
    expect(err(decodeCtipsCallback(new Uint8Array([0x3c, 0xff, 0x3e]))).kind).toBe('encoding');
    expect(ok(decodeCtipsCallback(new TextEncoder().encode(`\ufeff${digestEvent}`))).operation).toBe('PublishCTIEvent');
    expect(err(decodeCtipsCallback('not xml')).kind).toBe('badXml');
    expect(err(decodeCtipsCallback(42 as unknown as string)).kind).toBe('badShape');
  });
  it('values stay strings: 0612345678 and 0E68', () => {
    const e = eventOf(ev('<a:EventType>CallDelivered</a:EventType><a:ANI>0612345678</a:ANI><a:DNIS>0E68</a:DNIS>'));
    expect(e.kind !== 'unknown' && e.type === 'CallDelivered' && [e.fields.ANI, e.fields.DNIS]).toEqual(['0612345678', '0E68']);
  });
  it('__proto__ as an element name is a plain field', () => {
    const e = eventOf(ev('<a:EventType>Nope</a:EventType><a:__proto__>x</a:__proto__>'));
    expect(Object.getPrototypeOf(e.raw)).toBe(Object.prototype);
    expect((e.raw as Record<string, unknown>)['__proto__']).toBe('x');
  });
});

describe('enums', () => {
  it('24 enumerations; decode by name, number, alias; unknown kept', () => {
    expect(Object.keys(ctipsEnums)).toHaveLength(24);
    expect(decodeEnum('CTIAgentState', 'activewrap')).toEqual({ known: true, name: 'ActiveWrap', value: null });
    expect(decodeEnum('CTIFailureType', '34')).toEqual({ known: true, name: 'RequestFailed', value: 34 });
    expect(decodeEnum('CTIFailureType', '35')).toEqual({ known: false, raw: '35' });
    expect(decodeEnum('CTICallType', 'InboundIpnig')).toEqual({ known: true, name: 'InboundIpniq', value: 11 });
    expect(decodeEnum('CTIRouteStatusType', 'DefaultRouteUsed')).toEqual({ known: true, name: 'RouteDefaultUsed', value: 2 });
    expect(enumNameFor('CTIFieldType', 'ft_agent_id')).toBe('FT_AGENT_ID');
    expect(enumNameFor('CTIFieldType', 'x')).toBeNull();
  });
});
