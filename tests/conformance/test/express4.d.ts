// The Express 4 test dependency is installed under an alias; its API is typed like Express's own.
declare module 'express4' {
  import express from 'express';
  export default express;
}
