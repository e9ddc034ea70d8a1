export { findProgram } from '@codiesvibe/shared/testing';
