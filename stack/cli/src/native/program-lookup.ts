export { findProgram } from '@codiesvibe/shared/programs';
