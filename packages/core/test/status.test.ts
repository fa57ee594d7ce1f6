/**
 * Status coercion (reliability row 5) and reason phrases.
 */
import { reasonPhrase, toStatus } from '../src/status';

const INVALID = [
  99,
  200,
  399,
  600,
  1000,
  NaN,
  Infinity,
  -Infinity,
  -1,
  404.5,
  '404',
  null,
  undefined,
  true,
  {},
];
const VALID = [400, 401, 404, 422, 451, 499, 500, 502, 503, 599];

function throwing(key: string, extra: object = {}): object {
  return Object.defineProperty({ ...extra }, key, {
    get() {
      throw new Error('getter!');
    },
  });
}

describe('toStatus', () => {
  describe.each(['status', 'statusCode'])('when %s holds an invalid value', (key) => {
    it.each(INVALID)('should ignore %p', (value) => {
      expect(toStatus({ [key]: value })).toBeUndefined();
    });
  });

  describe.each(['status', 'statusCode'])('when %s holds an error status', (key) => {
    it.each(VALID)('should keep %p', (value) => {
      expect(toStatus({ [key]: value })).toBe(value);
    });
  });

  describe('when both are valid', () => {
    it('should prefer status, as finalhandler does', () => {
      expect(toStatus({ status: 404, statusCode: 500 })).toBe(404);
      expect(toStatus({ status: 503, statusCode: 409 })).toBe(503);
    });
  });

  describe.each(INVALID)('when status is the invalid %p and statusCode is valid', (value) => {
    it('should use statusCode', () => {
      expect(toStatus({ status: value, statusCode: 409 })).toBe(409);
    });
  });

  describe('when neither is present', () => {
    it('should return undefined', () => {
      expect(toStatus({})).toBeUndefined();
      expect(toStatus(new Error('x'))).toBeUndefined();
    });
  });

  describe('when the getters throw', () => {
    it('should return undefined for a throwing status alone', () => {
      expect(toStatus(throwing('status'))).toBeUndefined();
    });

    it('should return undefined for a throwing statusCode alone', () => {
      expect(toStatus(throwing('statusCode'))).toBeUndefined();
    });

    it('should fall back to statusCode when the status getter throws', () => {
      expect(toStatus(throwing('status', { statusCode: 404 }))).toBe(404);
    });

    it('should return undefined for a Proxy whose get trap throws', () => {
      const proxy = new Proxy(
        {},
        {
          get() {
            throw new Error('trap!');
          },
        },
      );
      expect(toStatus(proxy)).toBeUndefined();
    });
  });
});

describe('reasonPhrase', () => {
  describe.each([
    [400, 'Bad Request'],
    [404, 'Not Found'],
    [429, 'Too Many Requests'],
    [500, 'Internal Server Error'],
    [503, 'Service Unavailable'],
  ])('when the status is %i', (status, phrase) => {
    it(`should be ${phrase}`, () => {
      expect(reasonPhrase(status)).toBe(phrase);
    });
  });

  describe('when the status has no phrase of its own', () => {
    it("should fall back to 400's phrase for a 4xx", () => {
      expect(reasonPhrase(499)).toBe('Bad Request');
    });

    it("should fall back to 500's phrase for a 5xx", () => {
      expect(reasonPhrase(599)).toBe('Internal Server Error');
    });
  });
});
