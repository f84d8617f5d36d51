/** The state-store interface, the shared key/namespace helpers and the rules backends share. */
export * from './types';
export * from './keys';
export * from './budget';
export * from './rows';
