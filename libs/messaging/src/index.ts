export * from './core';
export * from './nest';
