import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { javaDouble, hms } from './encode.js';
import { RootCloseScanner } from './framing.js';
import { RejectError, decodeRequest } from './requests.js';
import { XmlError, el, leaf, parseXml } from './xml.js';

describe('xml codec', () => {
  it('parses elements-only documents into a tree and keeps text as strings', () => {
    const root = parseXml('<a>\n  <b> 0612 </b><c/><d>x &amp; y</d></a>');
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['b', '0612'],
      ['c', ''],
      ['d', 'x & y'],
    ]);
  });

  it('refuses malformed, multi-root, DTD and unknown-entity input', () => {
    for (const bad of ['<a><b></a>', '<a/><b/>', 'TelServiceRequest><x/>', '<!DOCTYPE a><a/>', '<a>&nope;</a>', '']) expect(() => parseXml(bad), bad).toThrow(XmlError);
    expect(() => parseXml('<a k="v"/>', { strict: true })).toThrow(XmlError);
  });

  it('encodes compactly, empty elements self-closing, text escaped', () => {
    expect(el('calls')).toBe('<calls/>');
    expect(el('p', leaf('number', ''), leaf('name', 'A & <B>'))).toBe('<p><number/><name>A &amp; &lt;B&gt;</name></p>');
  });

  it('round-trips any leaf text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ -~]*$/), (s) => {
        expect(parseXml(el('r', leaf('v', s))).children[0]?.text ?? '').toBe(s.trim());
      }),
    );
  });
});

describe('request framing', () => {
  it('finds the root close however the bytes are split', () => {
    const req = Buffer.from('<?xml version="1.0"?><TelServiceRequest><!-- <x> --><a><b/></a></TelServiceRequest>  trailing');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (step) => {
        const scanner = new RootCloseScanner();
        let end: number | undefined;
        for (let i = step; end === undefined && i <= req.length + step; i += step) end = scanner.scan(req.subarray(0, Math.min(i, req.length)));
        expect(end).toBe(req.indexOf('  trailing'));
      }),
    );
  });
});

describe('request decoding', () => {
  const decode = (xml: string) => decodeRequest(parseXml(xml));

  it('decodes the manual examples', () => {
    expect(decode('<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUDPPort>20001</eventUDPPort><eventUpdate><full/></eventUpdate><userID>1101</userID></openSession></TelServiceRequest>')).toEqual({
      op: 'openSession',
      deviceNumber: '1101',
      eventUDPPort: 20001,
      eventUpdate: 'full',
      userID: '1101',
      userPassword: undefined,
      sessionTimeout: undefined,
      startPbxMonitor: true,
    });
    expect(decode('<TelServiceRequest><forward><deviceNumber>1101</deviceNumber><info><number>1102</number><type><immediate/></type><state><on/></state></info></forward></TelServiceRequest>')).toEqual({
      op: 'forward',
      deviceNumber: '1101',
      number: '1102',
      type: 'immediate',
      on: true,
    });
  });

  it('accepts booleans in XER and text form, and rejects bad values', () => {
    const q = (v: string) => decode(`<TelServiceRequest><qualifyCall><deviceNumber>1102</deviceNumber><answerCall>${v}</answerCall></qualifyCall></TelServiceRequest>`);
    expect(q('<false/>')).toMatchObject({ answerCall: false });
    expect(q('false')).toMatchObject({ answerCall: false });
    expect(() => q('maybe')).toThrow(RejectError);
    expect(() => decode('<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUDPPort>70000</eventUDPPort></openSession></TelServiceRequest>')).toThrow(RejectError);
  });
});

describe('statistics formats', () => {
  it('prints durations as HH:MM:SS and percentages as the manual does', () => {
    expect(hms(421)).toBe('00:07:01');
    expect(hms(15023)).toBe('04:10:23');
    expect(javaDouble(100)).toBe('1.0E2');
    expect(javaDouble(0)).toBe('0');
    expect(javaDouble(12.5)).toBe('1.25E1');
  });
});
