import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Uses the web like a person: navigates, clicks, reads and extracts. */
export const browser: AgentProfileInput = {
  id: 'browser',
  name: 'Browser',
  description:
    'Uses the web like a person: opens pages, navigates, clicks, fills forms, takes screenshots, ' +
    'searches the web and extracts or scrapes information from websites.',
  capabilities: [
    {
      name: 'web-navigation',
      weight: 1,
      keywords: keywords(
        'browse, browser, browsing, open the page, visit, navigate, website, web site, web page',
        'webpage, url, urls, click, click through, fill in, fill out, submit the form, log into',
        'sign in to, screenshot, take a screenshot, headless, cookie banner, captcha',
        'scrape, scraping, scraper, crawl, crawler, crawling, search the web, web search',
        'search online, find online, look up, google, online, internet, on the web, from the web',
        'go to, head over to',
      ),
    },
    {
      name: 'web-content',
      weight: 0.7,
      keywords: keywords(
        'open, site, link, links, http, https, www, scroll, log in, tab, tabs',
        'page title, landing page, pricing page, careers page, extract from',
        'collect, gather, harvest, latest, news, announcement, competitor, competitors, prices',
        'job listings, product listings, product reviews, public page, status page, forum, github page',
        'grab, fetch the page, read the page, text of the page, terms of service, privacy policy',
        'download the pdf, what does the site say',
      ),
    },
    {
      name: 'browser-tools',
      weight: 0.5,
      keywords: keywords(
        'chrome, chromium, firefox, safari, puppeteer, selenium, playwright, dom, xpath, css selector',
      ),
    },
  ],
  systemPrompt: [
    'You are the browser agent of a team of specialist agents. You work through a browser tool:',
    'say which URLs you visited and which actions you took, in order, and quote what you found',
    'with its source. Extract data into a clean table or JSON when asked. Respect robots.txt, terms',
    'of use and rate limits; never enter credentials you were not given for that site.',
    'If a page could not be reached or did not show what was expected, set flag "failed-check".',
    answerContract('e.g. "data collected" or "page not reachable"'),
  ].join('\n'),
  modelPreference: { tier: 'general', models: [], locality: 'local-first' },
  costClass: 0.3,
};
