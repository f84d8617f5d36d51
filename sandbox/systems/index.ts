/**
 * The systems `npm run sandbox` runs by default. Each system issue adds its module here, e.g.
 *
 *     import { shopifySystem } from './shopify';
 *     export const BUILTIN_SYSTEMS: SystemRegistration[] = [shopifySystem];
 *
 * Order is the order of the index page; names must be unique.
 */
import type { SystemRegistration } from '../types';
import { shopifySystem } from './shopify';
import { netsuiteSystem } from './netsuite';
import { shipbobSystem } from './shipbob';
import { amazonSystem } from './amazon';
import { ebaySystem } from './ebay';
import { hubspotSystem } from './hubspot';
import { akeneoSystem } from './akeneo';

export const BUILTIN_SYSTEMS: SystemRegistration[] = [shopifySystem, netsuiteSystem, shipbobSystem, amazonSystem, ebaySystem, hubspotSystem, akeneoSystem];
