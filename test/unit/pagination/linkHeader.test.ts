import { findLink, parseLinkHeader } from '../../../nodes/shared/core/pagination';

const NEXT = 'https://shop.example.com/admin/api/2025-01/products.json?limit=3&page_info=bmV4dA';
const PREV = 'https://shop.example.com/admin/api/2025-01/products.json?limit=3&page_info=cHJldg';

describe('findLink(header, "next")', () => {
	it.each<[string, string | string[] | undefined, string | undefined]>([
		['Shopify: previous then next', `<${PREV}>; rel="previous", <${NEXT}>; rel="next"`, NEXT],
		['next then previous', `<${NEXT}>; rel="next", <${PREV}>; rel="previous"`, NEXT],
		['only previous (last page)', `<${PREV}>; rel="previous"`, undefined],
		['rel list "next last"', `<${PREV}>; rel="prev", <${NEXT}>; rel="next last"`, NEXT],
		['rel list with next second', `<${NEXT}>; rel="last next"`, NEXT],
		['unquoted rel', `<${PREV}>; rel=prev, <${NEXT}>; rel=next`, NEXT],
		['mixed case', `<${NEXT}>; REL="Next"`, NEXT],
		['no spaces', `<${PREV}>;rel="previous",<${NEXT}>;rel="next"`, NEXT],
		[
			'extra whitespace and tabs',
			` <${PREV}> ;\trel = "previous" ,  <${NEXT}>  ;  rel = "next" `,
			NEXT,
		],
		[
			'quoted title with comma and semicolon before rel',
			`<${PREV}>; title="a, b; c"; rel="previous", <${NEXT}>; title="x, \\"y\\""; rel="next"`,
			NEXT,
		],
		[
			'comma inside the URL',
			`<https://a.example/p?ids=1,2,3&c=9>; rel="next"`,
			'https://a.example/p?ids=1,2,3&c=9',
		],
		['header sent as two lines', [`<${PREV}>; rel="previous"`, `<${NEXT}>; rel="next"`], NEXT],
		[
			'relative URL',
			`</admin/api/2025-01/products.json?page_info=abc>; rel="next"`,
			'/admin/api/2025-01/products.json?page_info=abc',
		],
		['"nextpage" is not "next"', `<${PREV}>; rel="nextpage"`, undefined],
		['first rel param wins', `<${PREV}>; rel="previous"; rel="next", <${NEXT}>; rel="next"`, NEXT],
		['junk before a link is skipped', `garbage, <${NEXT}>; rel="next"`, NEXT],
		['empty header', '', undefined],
		['absent header', undefined, undefined],
	])('%s', (_name, header, expected) => {
		expect(findLink(header, 'next')).toBe(expected);
	});
});

describe('parseLinkHeader', () => {
	it('returns every link with lower-cased rels and unquoted params', () => {
		expect(
			parseLinkHeader(
				`<${PREV}>; rel="Previous"; title="Page, 1", <${NEXT}>; rel="next last"; type=json`,
			),
		).toEqual([
			{ url: PREV, rel: ['previous'], params: { rel: 'Previous', title: 'Page, 1' } },
			{ url: NEXT, rel: ['next', 'last'], params: { rel: 'next last', type: 'json' } },
		]);
	});

	it('stops at an unterminated URL instead of guessing', () => {
		expect(parseLinkHeader(`<${NEXT}>; rel="next", <https://a.example/broken; rel="last"`)).toEqual(
			[{ url: NEXT, rel: ['next'], params: { rel: 'next' } }],
		);
	});
});
